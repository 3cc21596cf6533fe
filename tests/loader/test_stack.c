/* SPDX-License-Identifier: Apache-2.0 */
/*
 * stack_build(): the System V initial stack read back word by word, and the
 * limits: too many bytes or entries of arguments and environment, a top that
 * cannot hold the stack.
 */
#include <elf.h>
#include <stdio.h>

#include "abi/realm_abi.h"
#include "loader/stack.h"
#include "../check_suite.h"
#include "mini_elf.h"

static struct elf_image img;
static struct stack_image st;

static void setup(void)
{
	struct mini_elf m;

	mini_elf_init(&m, ET_EXEC);
	ck_assert_int_eq(mini_elf_parse(&m, &img), 0);
	memset(&st, 0, sizeof(st));
}

static void teardown(void)
{
	stack_image_free(&st);
}

/* The host bytes behind guest address va, which must lie in the image. */
static const uint8_t *at(uint64_t va, size_t len)
{
	uint64_t low = st.top - st.size;

	ck_assert_msg(va >= low && va <= st.top && len <= st.top - va,
		      "0x%llx+%zu outside the stack [0x%llx, 0x%llx)", (unsigned long long)va, len,
		      (unsigned long long)low, (unsigned long long)st.top);
	return st.bytes + (va - low);
}

static uint64_t word(uint64_t va)
{
	uint64_t w;

	memcpy(&w, at(va, 8), 8);
	return w;
}

/* A NUL-terminated string at va, inside the image. */
static const char *string(uint64_t va)
{
	const char *s = (const char *)at(va, 1);

	ck_assert_ptr_nonnull(memchr(s, 0, st.top - va));
	return s;
}

/* Walk a NULL-terminated vector at *va against want; advances *va past it. */
static void expect_vector(uint64_t *va, char *const want[])
{
	for (size_t i = 0; want && want[i]; i++, *va += 8)
		ck_assert_str_eq(string(word(*va)), want[i]);
	ck_assert_uint_eq(word(*va), 0);
	*va += 8;
}

START_TEST(layout_read_back)
{
	char *argv[] = { "prog", "-x", "an argument with spaces", "", NULL };
	char *envp[] = { "A=1", "PATH=/bin:/usr/bin", NULL };
	uint64_t auxv[64] = { 0 }, va;

	ck_assert_int_eq(stack_build(&img, "/bin/prog", argv, envp, FASCO_GVA_STACK_TOP, &st), 0);
	ck_assert_uint_eq(st.top, FASCO_GVA_STACK_TOP);
	ck_assert_uint_eq(st.size % 4096, 0);
	ck_assert_uint_eq(st.sp % 16, 0);
	ck_assert_uint_eq(word(st.sp), 4);
	va = st.sp + 8;
	expect_vector(&va, argv);
	expect_vector(&va, envp);
	for (;; va += 16) {
		uint64_t type = word(va);

		ck_assert_uint_lt(type, 64);
		auxv[type] = word(va + 8);
		if (type == AT_NULL)
			break;
	}
	ck_assert_uint_eq(auxv[AT_PHDR], img.phdr_vaddr);
	ck_assert_uint_eq(auxv[AT_PHENT], sizeof(Elf64_Phdr));
	ck_assert_uint_eq(auxv[AT_PHNUM], img.phnum);
	ck_assert_uint_eq(auxv[AT_ENTRY], img.entry);
	ck_assert_uint_eq(auxv[AT_PAGESZ], 4096);
	ck_assert_uint_eq(auxv[AT_RANDOM], st.at_random);
	at(st.at_random, 16);
	ck_assert_str_eq(string(auxv[AT_EXECFN]), "/bin/prog");
	ck_assert_str_eq(string(auxv[AT_PLATFORM]), "x86_64");
}
END_TEST

START_TEST(deterministic)
{
	char *argv[] = { "a", "b", NULL };
	struct stack_image again = { 0 };

	ck_assert_int_eq(stack_build(&img, "/a", argv, NULL, FASCO_GVA_STACK_TOP, &st), 0);
	ck_assert_int_eq(stack_build(&img, "/a", argv, NULL, FASCO_GVA_STACK_TOP, &again), 0);
	ck_assert_uint_eq(st.size, again.size);
	ck_assert_uint_eq(st.sp, again.sp);
	ck_assert_mem_eq(st.bytes, again.bytes, st.size);
	stack_image_free(&again);
	ck_assert_ptr_null(again.bytes);
}
END_TEST

START_TEST(no_argv_no_envp)
{
	uint64_t va;

	ck_assert_int_eq(stack_build(&img, "/x", NULL, NULL, FASCO_GVA_STACK_TOP, &st), 0);
	ck_assert_uint_eq(word(st.sp), 0);
	va = st.sp + 8;
	expect_vector(&va, NULL);
	expect_vector(&va, NULL);
}
END_TEST

/* execfn + argv + envp, NULs included, against STACK_ARGS_MAX. */
static char *filled(size_t len)
{
	char *s = malloc(len + 1);

	ck_assert_ptr_nonnull(s);
	memset(s, 'a', len);
	s[len] = '\0';
	return s;
}

START_TEST(strings_at_the_limit)
{
	/* "/p" takes 3 bytes, the argument the rest */
	char *big = filled(STACK_ARGS_MAX - 3 - 1);
	char *argv[] = { big, NULL };

	ck_assert_int_eq(stack_build(&img, "/p", argv, NULL, FASCO_GVA_STACK_TOP, &st), 0);
	ck_assert_uint_ge(st.size, STACK_ARGS_MAX);
	ck_assert_str_eq(string(word(st.sp + 8)), big);
	free(big);
}
END_TEST

START_TEST(strings_too_large)
{
	char *big = filled(STACK_ARGS_MAX - 3);
	char *argv[] = { big, NULL }, *envp[] = { "K=V", NULL };
	char needle[96];

	snprintf(needle, sizeof(needle), "arguments and environment take %u bytes (at most %u)",
		 STACK_ARGS_MAX + 1, STACK_ARGS_MAX);
	ck_assert_fails(stack_build(&img, "/p", argv, NULL, FASCO_GVA_STACK_TOP, &st), -E2BIG, needle);
	ck_assert_ptr_null(st.bytes);
	/* the environment counts as much as the arguments */
	argv[0] = "p";
	envp[0] = big;
	ck_assert_fails(stack_build(&img, "/p", argv, envp, FASCO_GVA_STACK_TOP, &st), -E2BIG,
			"arguments and environment take");
	free(big);
	/* and the program path too */
	big = filled(STACK_ARGS_MAX);
	ck_assert_fails(stack_build(&img, big, NULL, NULL, FASCO_GVA_STACK_TOP, &st), -E2BIG,
			"arguments and environment take");
	free(big);
}
END_TEST

/* Many empty strings: few bytes, too many pointers. */
START_TEST(too_many_entries)
{
	size_t n = STACK_ARGS_MAX / 8;
	char **argv = calloc(n + 2, sizeof(char *));
	char needle[96];

	ck_assert_ptr_nonnull(argv);
	for (size_t i = 0; i < n; i++)
		argv[i] = "";
	ck_assert_int_eq(stack_build(&img, "/p", argv, NULL, FASCO_GVA_STACK_TOP, &st), 0);
	ck_assert_uint_eq(word(st.sp), n);
	stack_image_free(&st);
	argv[n] = "";
	snprintf(needle, sizeof(needle), "%zu arguments and environment entries (at most %zu)", n + 1, n);
	ck_assert_fails(stack_build(&img, "/p", argv, NULL, FASCO_GVA_STACK_TOP, &st), -E2BIG, needle);
	free(argv);
}
END_TEST

START_TEST(top_cannot_hold_the_stack)
{
	char *argv[] = { "p", NULL };

	ck_assert_fails(stack_build(&img, "/p", argv, NULL, FASCO_GVA_STACK_TOP - 8, &st), -EINVAL,
			"stack top 0x7fffffffeff8 cannot hold");
	ck_assert_fails(stack_build(&img, "/p", argv, NULL, 0x1000 - 16, &st), -EINVAL,
			"cannot hold a 4096-byte stack");
	ck_assert_fails(stack_build(&img, "/p", argv, NULL, 0, &st), -EINVAL, "stack top 0x0");
	ck_assert_ptr_null(st.bytes);
	/* exactly enough */
	ck_assert_int_eq(stack_build(&img, "/p", argv, NULL, 0x1000, &st), 0);
	ck_assert_uint_eq(st.size, 0x1000);
}
END_TEST

int main(void)
{
	return RUN_TESTS("loader-stack", setup, teardown,
			 layout_read_back, deterministic, no_argv_no_envp, strings_at_the_limit, strings_too_large,
			 too_many_entries, top_cannot_hold_the_stack);
}
