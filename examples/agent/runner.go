// SPDX-License-Identifier: Apache-2.0

package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"path"
	"runtime"
	"sync"
	"time"

	"libfasco.org/fasco"
)

// Runner runs jobs in realms and records what happened on a Board.
type Runner struct {
	Ctx         *fasco.Context
	Root        string // system realms serve calls inside this directory
	PlatformKey string // PEM anchor the tokens are verified against
	Timeout     time.Duration
	Board       *Board
}

// RunAll runs the jobs, at most parallel at a time, each on its own
// goroutine locked to an OS thread, and returns when all have ended.
func (r *Runner) RunAll(ctx context.Context, jobs []Job, parallel int) {
	slots := make(chan struct{}, parallel)
	var wg sync.WaitGroup
	for _, job := range jobs {
		wg.Add(1)
		go func(job Job) {
			defer wg.Done()
			runtime.LockOSThread() // the realm's monitor is forked from here
			defer runtime.UnlockOSThread()
			slots <- struct{}{}
			defer func() { <-slots }()
			r.Board.Update(job.ID, func(s *JobStatus) { s.State = StateRunning })
			begin := time.Now()
			err := r.run(ctx, job)
			r.Board.Update(job.ID, func(s *JobStatus) {
				s.RunMillis = time.Since(begin).Milliseconds()
				if err != nil {
					s.State, s.Error = StateFailed, err.Error()
				} else {
					s.State = StateFinished
				}
			})
		}(job)
	}
	wg.Wait()
}

// challengeOf is the job's challenge zero-padded to 64 bytes (as the realm
// token carries it), or a fresh random one.
func challengeOf(job Job) ([]byte, error) {
	c := make([]byte, challengeLen)
	if job.Challenge == "" {
		_, err := rand.Read(c)
		return c, err
	}
	b, err := hex.DecodeString(job.Challenge)
	if err != nil {
		return nil, err
	}
	copy(c, b)
	return c, nil
}

func (r *Runner) config(job Job) (*fasco.Config, error) {
	cfg, err := fasco.NewConfig()
	if err != nil {
		return nil, err
	}
	err = cfg.SetProgram(job.Program)
	if err == nil {
		err = cfg.SetArgv(append([]string{path.Base(job.Program)}, job.Args...))
	}
	if err == nil && job.Memory != 0 {
		err = cfg.SetParam(fasco.ParamMemoryBytes, uint64(job.Memory))
	}
	if err != nil {
		cfg.Close()
		return nil, err
	}
	return cfg, nil
}

// run predicts the realm's RIM, loads the realm, has it attest to the
// challenge, verifies the token against the platform key and the
// prediction, then runs the realm to its end.
func (r *Runner) run(ctx context.Context, job Job) error {
	challenge, err := challengeOf(job)
	if err != nil {
		return fmt.Errorf("challenge: %w", err)
	}
	cfg, err := r.config(job)
	if err != nil {
		return err
	}
	defer cfg.Close()
	predicted, err := fasco.MeasureConfig(cfg, r.Root, fasco.PlatformHost)
	if err != nil {
		return err
	}
	sys, err := r.Ctx.NewSystemRealm(r.Root)
	if err != nil {
		return err
	}
	defer sys.Close()
	realm, err := r.Ctx.NewRealm(cfg, sys)
	if err != nil {
		return err
	}
	defer realm.Close()
	if err := realm.Load(); err != nil {
		return err
	}
	rim, err := realm.RIM()
	if err != nil {
		return err
	}
	token, err := realm.Attest(challenge)
	if err != nil {
		return err
	}
	_, verr := fasco.TokenVerify(token, fasco.VerifyOptions{
		Anchor: []byte(r.PlatformKey), Challenge: challenge, RIM: predicted,
	})
	r.Board.Update(job.ID, func(s *JobStatus) {
		s.PredictedRIM, s.RIM = hex.EncodeToString(predicted), hex.EncodeToString(rim)
		s.Challenge, s.Token, s.TokenOK = hex.EncodeToString(challenge), token, verr == nil
		if verr != nil {
			s.TokenError = verr.Error()
		}
	})
	if verr != nil {
		return fmt.Errorf("token rejected, realm not started: %w", verr)
	}
	runCtx, cancel := context.WithTimeout(ctx, r.Timeout)
	defer cancel()
	info, err := realm.Exec(runCtx)
	if err != nil && info.Kind == 0 {
		return err
	}
	status := info.Status()
	r.Board.Update(job.ID, func(s *JobStatus) {
		s.EndKind, s.ExitStatus, s.Detail = endKind(info.Kind), &status, info.Detail
	})
	return err // non-nil if the timeout or the agent's shutdown killed it
}

func endKind(k fasco.EndKind) string {
	switch k {
	case fasco.EndExit:
		return "exit"
	case fasco.EndSignal:
		return "signal"
	case fasco.EndFault:
		return "fault"
	case fasco.EndCrash:
		return "crash"
	}
	return fmt.Sprintf("unknown (%d)", int(k))
}
