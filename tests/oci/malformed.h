/* SPDX-License-Identifier: Apache-2.0 */
/* Malformed config.json documents and the error each must give. */
#ifndef FASCO_TESTS_OCI_MALFORMED_H
#define FASCO_TESTS_OCI_MALFORMED_H

struct malformed {
	const char *doc;
	const char *error; /* expected as a substring of the message */
};

extern const struct malformed malformed_configs[];

#endif
