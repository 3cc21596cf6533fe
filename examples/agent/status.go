// SPDX-License-Identifier: Apache-2.0

package main

import "sync"

// State of a job.
const (
	StatePending  = "pending"
	StateRunning  = "running"
	StateFinished = "finished" // the realm ran and ended (any exit status)
	StateFailed   = "failed"   // the realm could not be run or attested
)

// JobStatus is what the agent reports about a job.
type JobStatus struct {
	ID           string   `json:"id"`
	Program      string   `json:"program"`
	Args         []string `json:"args"`
	State        string   `json:"state"`
	Error        string   `json:"error,omitempty"`
	EndKind      string   `json:"end_kind,omitempty"` // exit, signal, fault, crash
	ExitStatus   *int     `json:"exit_status,omitempty"`
	Detail       string   `json:"detail,omitempty"`
	PredictedRIM string   `json:"predicted_rim,omitempty"` // hex, from the configuration alone
	RIM          string   `json:"rim,omitempty"`           // hex, of the loaded realm
	Challenge    string   `json:"challenge,omitempty"`     // hex, 64 bytes
	Token        []byte   `json:"token,omitempty"`         // CCA token (base64 in JSON)
	TokenOK      bool     `json:"token_verified"`
	TokenError   string   `json:"token_error,omitempty"`
	RunMillis    int64    `json:"run_ms"`
}

// summary is the status without the token, for the job list.
func (s JobStatus) summary() JobStatus {
	s.Token = nil
	return s
}

// Board holds every job's status; the runners write it, HTTP reads it.
type Board struct {
	mu    sync.Mutex
	order []string
	jobs  map[string]*JobStatus
}

func NewBoard(jobs []Job) *Board {
	b := &Board{jobs: map[string]*JobStatus{}}
	for _, j := range jobs {
		b.order = append(b.order, j.ID)
		b.jobs[j.ID] = &JobStatus{ID: j.ID, Program: j.Program, Args: j.Args, State: StatePending}
	}
	return b
}

// Update applies f to a job's status under the lock.
func (b *Board) Update(id string, f func(*JobStatus)) {
	b.mu.Lock()
	defer b.mu.Unlock()
	f(b.jobs[id])
}

// Get is a copy of one job's status.
func (b *Board) Get(id string) (JobStatus, bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	s, ok := b.jobs[id]
	if !ok {
		return JobStatus{}, false
	}
	return *s, true
}

// Report is the agent's view of all jobs.
type Report struct {
	Platform string      `json:"platform"`
	Total    int         `json:"total"`
	Done     int         `json:"done"`
	Verified int         `json:"verified"`
	Jobs     []JobStatus `json:"jobs"`
}

// Report lists the jobs in file order; withTokens keeps the tokens.
func (b *Board) Report(platform string, withTokens bool) Report {
	b.mu.Lock()
	defer b.mu.Unlock()
	r := Report{Platform: platform, Total: len(b.order), Jobs: []JobStatus{}}
	for _, id := range b.order {
		s := *b.jobs[id]
		if s.State == StateFinished || s.State == StateFailed {
			r.Done++
		}
		if s.TokenOK {
			r.Verified++
		}
		if !withTokens {
			s = s.summary()
		}
		r.Jobs = append(r.Jobs, s)
	}
	return r
}
