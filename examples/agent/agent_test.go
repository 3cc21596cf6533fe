// SPDX-License-Identifier: Apache-2.0

package main

import (
	"bufio"
	"bytes"
	"encoding/hex"
	"encoding/json"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"syscall"
	"testing"
	"time"

	"libfasco.org/fasco"
	"libfasco.org/fasco/fascotest"
)

var requireKVM = fascotest.RequireKVM

// buildAgent compiles this command into a temporary directory.
func buildAgent(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "agent")
	gobin := filepath.Join(runtime.GOROOT(), "bin", "go")
	out, err := exec.Command(gobin, "build", "-o", bin, ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// platformKey is the PEM key of the state directory the agent used,
// obtained independently of the agent.
func platformKey(t *testing.T, stateDir string) string {
	t.Helper()
	ctx, err := fasco.NewContext(fasco.BackendAuto, stateDir)
	if err != nil {
		t.Fatal(err)
	}
	defer ctx.Close()
	pem, err := ctx.PlatformKeyPEM()
	if err != nil {
		t.Fatal(err)
	}
	return pem
}

func TestTenJobsOnce(t *testing.T) {
	requireKVM(t)
	bin := buildAgent(t)
	dir := t.TempDir()
	stateDir, reportPath := filepath.Join(dir, "state"), filepath.Join(dir, "report.json")
	cmd := exec.Command(bin, "--jobs", "testdata/ten-jobs.json", "--once",
		"--listen", "127.0.0.1:0", "--state-dir", stateDir, "--report", reportPath)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("agent: %v\n%s", err, stderr.String())
	}
	if !bytes.Contains(stdout.Bytes(), []byte("hello from realm echo\n")) {
		t.Errorf("the echo realm's output is missing from the agent's stdout: %q", stdout.String())
	}
	data, err := os.ReadFile(reportPath)
	if err != nil {
		t.Fatal(err)
	}
	var report Report
	if err := json.Unmarshal(data, &report); err != nil {
		t.Fatal(err)
	}
	want := map[string]int{"true": 0, "false": 1, "echo": 0, "exit-3": 3, "exit-42": 42,
		"test-eq": 0, "test-ne": 1, "ls": 0, "cat-missing": 1, "sleep": 0}
	if report.Total != 10 || report.Done != 10 || report.Verified != 10 || len(report.Jobs) != 10 {
		t.Fatalf("report totals: %d jobs, %d done, %d verified", report.Total, report.Done, report.Verified)
	}
	key := platformKey(t, stateDir)
	for _, job := range report.Jobs {
		code, known := want[job.ID]
		if !known || job.State != StateFinished || job.EndKind != "exit" ||
			job.ExitStatus == nil || *job.ExitStatus != code {
			t.Errorf("job %s: %+v, want exit %d", job.ID, job, code)
			continue
		}
		delete(want, job.ID)
		if !job.TokenOK || job.RIM == "" || job.RIM != job.PredictedRIM {
			t.Errorf("job %s: token %v, rim %s, predicted %s", job.ID, job.TokenOK, job.RIM, job.PredictedRIM)
		}
		// Check the agent's verdict: verify its token here against the key
		// and the RIM the report claims.
		rim, _ := hex.DecodeString(job.PredictedRIM)
		challenge, _ := hex.DecodeString(job.Challenge)
		if _, err := fasco.TokenVerify(job.Token, fasco.VerifyOptions{
			Anchor: []byte(key), Challenge: challenge, RIM: rim}); err != nil {
			t.Errorf("job %s: its token does not verify here: %v", job.ID, err)
		}
	}
	if len(want) != 0 {
		t.Errorf("jobs missing from the report: %v", want)
	}
	if report.Jobs[8].Challenge[:32] != "00112233445566778899aabbccddeeff" {
		t.Errorf("job cat-missing: challenge %s is not the one given", report.Jobs[8].Challenge)
	}
}

// TestServeUntilSignal runs the agent without --once and reads its status
// over HTTP until the jobs are done, then stops it with SIGTERM.
func TestServeUntilSignal(t *testing.T) {
	requireKVM(t)
	bin := buildAgent(t)
	dir := t.TempDir()
	jobFile := filepath.Join(dir, "jobs.json")
	jobs := `[{"id": "a", "program": "/bin/busybox", "args": ["true"]},
		{"id": "b", "program": "/bin/busybox", "args": ["sh", "-c", "exit 5"]}]`
	if err := os.WriteFile(jobFile, []byte(jobs), 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, "--jobs", jobFile, "--listen", "127.0.0.1:0",
		"--state-dir", filepath.Join(dir, "state"))
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	lines := bufio.NewReader(stderr)
	line, err := lines.ReadString('\n')
	if err != nil {
		t.Fatalf("reading the agent's first line: %v", err)
	}
	m := regexp.MustCompile(`http://(127\.0\.0\.1:\d+)/jobs`).FindStringSubmatch(line)
	if m == nil {
		t.Fatalf("no address in %q", line)
	}
	base := "http://" + m[1]
	var report Report
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		get(t, base+"/jobs", 200, &report)
		if report.Done == 2 || time.Now().After(deadline) {
			break
		}
	}
	if report.Done != 2 || report.Verified != 2 {
		t.Fatalf("jobs did not finish: %+v", report)
	}
	var job JobStatus
	get(t, base+"/jobs/b", 200, &job)
	if job.ExitStatus == nil || *job.ExitStatus != 5 || len(job.Token) == 0 || !job.TokenOK {
		t.Fatalf("GET /jobs/b = %+v", job)
	}
	drained := make(chan struct{})
	go func() { _, _ = io.Copy(io.Discard, lines); close(drained) }()
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	<-drained // Wait closes the pipe: read it to its end first
	if err := cmd.Wait(); err != nil {
		t.Fatalf("agent after SIGTERM: %v", err)
	}
}
