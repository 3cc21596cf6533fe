// SPDX-License-Identifier: Apache-2.0

package main

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
)

// Bounds on the job file: it comes from whoever schedules work on this node.
const (
	maxJobFile   = 1 << 20
	maxJobs      = 1024
	maxArgs      = 256
	maxString    = 4096
	challengeLen = 64
)

// Job is one entry of the job file.
type Job struct {
	ID        string   `json:"id"`        // optional; "job-<n>" by default
	Program   string   `json:"program"`   // path inside the root
	Args      []string `json:"args"`      // arguments after argv[0] (the program's base name)
	Memory    Memory   `json:"memory"`    // realm memory: bytes, or "64M"; 0 = library default
	Challenge string   `json:"challenge"` // hex, at most 64 bytes; "" = a fresh random one
}

// Memory is a byte count given as a JSON number or a string with a K, M or
// G suffix.
type Memory uint64

func (m *Memory) UnmarshalJSON(data []byte) error {
	var s string
	if err := json.Unmarshal(data, &s); err != nil {
		var n uint64
		if err := json.Unmarshal(data, &n); err != nil {
			return fmt.Errorf("expected bytes or a string such as \"64M\"")
		}
		*m = Memory(n)
		return nil
	}
	shift := 0
	switch {
	case strings.HasSuffix(s, "K"):
		shift = 10
	case strings.HasSuffix(s, "M"):
		shift = 20
	case strings.HasSuffix(s, "G"):
		shift = 30
	}
	digits := s
	if shift != 0 {
		digits = s[:len(s)-1]
	}
	n, err := strconv.ParseUint(digits, 10, 64)
	if err != nil || n > (1<<63)>>shift {
		return fmt.Errorf("%q is not a size such as 64M", s)
	}
	*m = Memory(n << shift)
	return nil
}

var idPattern = regexp.MustCompile(`^[A-Za-z0-9._-]{1,64}$`)

// ParseJobs reads and checks a job list; errors name the job and field.
func ParseJobs(r io.Reader) ([]Job, error) {
	data, err := io.ReadAll(io.LimitReader(r, maxJobFile+1))
	if err != nil {
		return nil, err
	}
	if len(data) > maxJobFile {
		return nil, fmt.Errorf("job file larger than %d bytes", maxJobFile)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var jobs []Job
	if err := dec.Decode(&jobs); err != nil {
		return nil, fmt.Errorf("job file: %w", err)
	}
	if dec.More() {
		return nil, fmt.Errorf("job file: trailing data after the job list")
	}
	if len(jobs) == 0 || len(jobs) > maxJobs {
		return nil, fmt.Errorf("job file: %d jobs, want 1 to %d", len(jobs), maxJobs)
	}
	seen := map[string]bool{}
	for i := range jobs {
		if err := checkJob(&jobs[i], i); err != nil {
			return nil, fmt.Errorf("jobs[%d]: %w", i, err)
		}
		if seen[jobs[i].ID] {
			return nil, fmt.Errorf("jobs[%d]: id %q used twice", i, jobs[i].ID)
		}
		seen[jobs[i].ID] = true
	}
	return jobs, nil
}

func checkJob(job *Job, index int) error {
	if job.ID == "" {
		job.ID = fmt.Sprintf("job-%d", index)
	}
	if !idPattern.MatchString(job.ID) {
		return fmt.Errorf("id %q: want 1-64 of A-Z a-z 0-9 . _ -", job.ID)
	}
	if job.Program == "" || len(job.Program) > maxString || strings.IndexByte(job.Program, 0) >= 0 {
		return fmt.Errorf("program: want a non-empty path")
	}
	if len(job.Args) > maxArgs {
		return fmt.Errorf("args: more than %d", maxArgs)
	}
	for j, a := range job.Args {
		if len(a) > maxString || strings.IndexByte(a, 0) >= 0 {
			return fmt.Errorf("args[%d]: too long or holds a NUL byte", j)
		}
	}
	if job.Challenge != "" {
		b, err := hex.DecodeString(job.Challenge)
		if err != nil || len(b) > challengeLen {
			return fmt.Errorf("challenge: want at most %d bytes in hex", challengeLen)
		}
	}
	return nil
}
