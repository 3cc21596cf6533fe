// SPDX-License-Identifier: Apache-2.0

// Command agent is the shape of an orchestrator node agent embedding
// libfasco: it runs a JSON list of jobs as concurrent container realms,
// predicts each realm's RIM, has each realm attest to a challenge, verifies
// the token against this host's platform key and the prediction, runs the
// realm, and serves the status as JSON on a loopback address:
//
//	GET /jobs       all jobs (no tokens)
//	GET /jobs/{id}  one job, with its token
//
// Realms share the agent's standard streams (the C API gives a realm the
// caller's descriptors 0-2), so program output appears on the agent's.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"libfasco.org/fasco"
)

type options struct {
	jobs     string
	listen   string
	once     bool
	report   string
	root     string
	stateDir string
	parallel int
	timeout  time.Duration
}

func parseFlags() options {
	var o options
	flag.StringVar(&o.jobs, "jobs", "", "job list (JSON array of {id, program, args, memory, challenge})")
	flag.StringVar(&o.listen, "listen", "127.0.0.1:8181", "loopback address for the status API")
	flag.BoolVar(&o.once, "once", false, "exit once every job has ended")
	flag.StringVar(&o.report, "report", "", "write the final report (JSON, with tokens) to this file")
	flag.StringVar(&o.root, "root", "/", "directory the realms' calls are served in")
	flag.StringVar(&o.stateDir, "state-dir", "", "libfasco state directory (platform key); default: the library's")
	flag.IntVar(&o.parallel, "parallel", 0, "realms at a time (0: all jobs at once)")
	flag.DurationVar(&o.timeout, "timeout", time.Minute, "kill a realm that runs longer")
	flag.Parse()
	return o
}

func main() {
	o := parseFlags()
	if err := run(o); err != nil {
		fmt.Fprintln(os.Stderr, "agent:", err)
		os.Exit(1)
	}
}

// loopbackListener listens on addr, which must be a loopback address: the
// status API has no authentication.
func loopbackListener(addr string) (net.Listener, error) {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, fmt.Errorf("--listen %q: %w", addr, err)
	}
	ip := net.ParseIP(host)
	if host != "localhost" && (ip == nil || !ip.IsLoopback()) {
		return nil, fmt.Errorf("--listen %q: not a loopback address", addr)
	}
	return net.Listen("tcp", addr)
}

func run(o options) error {
	if o.jobs == "" || flag.NArg() != 0 {
		return errors.New("usage: agent --jobs FILE [--listen ADDR] [--once] [--report FILE] [--parallel N]")
	}
	f, err := os.Open(o.jobs)
	if err != nil {
		return err
	}
	jobs, err := ParseJobs(f)
	f.Close()
	if err != nil {
		return fmt.Errorf("%s: %w", o.jobs, err)
	}
	if o.parallel <= 0 || o.parallel > len(jobs) {
		o.parallel = len(jobs)
	}

	fctx, err := fasco.NewContext(fasco.BackendAuto, o.stateDir)
	if err != nil {
		return err
	}
	defer fctx.Close()
	platform, err := fctx.Platform()
	if err != nil {
		return err
	}
	key, err := fctx.PlatformKeyPEM()
	if err != nil {
		return err
	}
	board := NewBoard(jobs)
	runner := &Runner{Ctx: fctx, Root: o.root, PlatformKey: key, Timeout: o.timeout, Board: board}

	ln, err := loopbackListener(o.listen)
	if err != nil {
		return err
	}
	server := &http.Server{Handler: Handler(board, platform), ReadHeaderTimeout: 5 * time.Second}
	go server.Serve(ln)
	defer server.Close()
	fmt.Fprintf(os.Stderr, "agent: %d jobs, status on http://%s/jobs\n", len(jobs), ln.Addr())

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	runner.RunAll(ctx, jobs, o.parallel)
	report := board.Report(platform, true)
	fmt.Fprintf(os.Stderr, "agent: %d of %d jobs done, %d tokens verified\n",
		report.Done, report.Total, report.Verified)
	if o.report != "" {
		if err := writeReport(o.report, report); err != nil {
			return err
		}
	}
	if !o.once {
		<-ctx.Done() // keep serving the status until told to stop
	}
	for _, j := range report.Jobs {
		if j.State != StateFinished || !j.TokenOK {
			return fmt.Errorf("job %s: %s %s", j.ID, j.State, j.Error)
		}
	}
	return nil
}

func writeReport(path string, report Report) error {
	data, err := json.MarshalIndent(report, "", "  ")
	if err != nil {
		return err
	}
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, append(data, '\n'), 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}
