// SPDX-License-Identifier: Apache-2.0

package main

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestParseJobsDefaults(t *testing.T) {
	jobs, err := ParseJobs(strings.NewReader(`[{"program": "/bin/busybox", "args": ["true"], "memory": "64M"},
		{"id": "b", "program": "/bin/busybox", "memory": 1048576, "challenge": "abcd"}]`))
	if err != nil {
		t.Fatal(err)
	}
	if jobs[0].ID != "job-0" || jobs[0].Memory != 64<<20 || jobs[1].Memory != 1<<20 {
		t.Fatalf("parsed %+v", jobs)
	}
}

func TestParseJobsRejects(t *testing.T) {
	for _, tc := range []struct{ doc, want string }{
		{`[]`, "0 jobs"},
		{`{}`, "cannot unmarshal"},
		{`[{"program": "/bin/x", "cmd": 1}]`, "unknown field"},
		{`[{"args": ["x"]}]`, "jobs[0]: program"},
		{`[{"id": "a", "program": "/x"}, {"id": "a", "program": "/x"}]`, "jobs[1]: id \"a\" used twice"},
		{`[{"id": "a/b", "program": "/x"}]`, "id \"a/b\""},
		{`[{"program": "/x", "challenge": "zz"}]`, "challenge"},
		{`[{"program": "/x", "challenge": "` + strings.Repeat("00", 65) + `"}]`, "challenge"},
		{`[{"program": "/x", "memory": "12Q"}]`, "not a size"},
		{`[{"program": "/x", "memory": "99999999999999999G"}]`, "not a size"},
		{`[{"program": "/x", "memory": -1}]`, "expected bytes"},
		{`[{"program": "/x"}] []`, "trailing data"},
		{`[{"program": "/x", "args": ["a\u0000b"]}]`, "NUL"},
	} {
		_, err := ParseJobs(strings.NewReader(tc.doc))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("ParseJobs(%s) = %v, want an error with %q", tc.doc, err, tc.want)
		}
	}
	if _, err := ParseJobs(strings.NewReader("[" + strings.Repeat(" ", maxJobFile) + "]")); err == nil {
		t.Error("a job file over the size bound was accepted")
	}
}

func TestHandler(t *testing.T) {
	board := NewBoard([]Job{{ID: "a", Program: "/bin/busybox"}, {ID: "b", Program: "/bin/busybox"}})
	status := 7
	board.Update("b", func(s *JobStatus) {
		s.State, s.ExitStatus, s.Token, s.TokenOK = StateFinished, &status, []byte{1, 2}, true
	})
	server := httptest.NewServer(Handler(board, "test-platform"))
	defer server.Close()

	var report Report
	get(t, server.URL+"/jobs", http.StatusOK, &report)
	if report.Platform != "test-platform" || report.Total != 2 || report.Done != 1 ||
		report.Verified != 1 || len(report.Jobs) != 2 || report.Jobs[0].State != StatePending {
		t.Fatalf("GET /jobs = %+v", report)
	}
	if report.Jobs[1].Token != nil {
		t.Fatal("GET /jobs carries tokens")
	}
	var job JobStatus
	get(t, server.URL+"/jobs/b", http.StatusOK, &job)
	if job.ExitStatus == nil || *job.ExitStatus != 7 || len(job.Token) != 2 {
		t.Fatalf("GET /jobs/b = %+v", job)
	}
	var failure map[string]string
	get(t, server.URL+"/jobs/nope", http.StatusNotFound, &failure)
	resp, err := http.Post(server.URL+"/jobs", "application/json", nil)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusMethodNotAllowed {
		t.Fatalf("POST /jobs = %d", resp.StatusCode)
	}
}

// get fetches url, checks the status code and decodes the JSON body into v.
func get(t *testing.T, url string, code int, v any) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != code {
		t.Fatalf("GET %s = %d, want %d", url, resp.StatusCode, code)
	}
	if err := json.NewDecoder(resp.Body).Decode(v); err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
}
