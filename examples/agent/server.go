// SPDX-License-Identifier: Apache-2.0

package main

import (
	"encoding/json"
	"net/http"
	"strings"
)

// Handler serves the board: GET /jobs (all jobs, without tokens) and
// GET /jobs/{id} (one job with its token).
func Handler(board *Board, platform string) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("/jobs", func(w http.ResponseWriter, req *http.Request) {
		if !allowGet(w, req) {
			return
		}
		writeJSON(w, http.StatusOK, board.Report(platform, false))
	})
	mux.HandleFunc("/jobs/", func(w http.ResponseWriter, req *http.Request) {
		if !allowGet(w, req) {
			return
		}
		id := strings.TrimPrefix(req.URL.Path, "/jobs/")
		status, ok := board.Get(id)
		if !ok {
			writeJSON(w, http.StatusNotFound, map[string]string{"error": "no job with this id"})
			return
		}
		writeJSON(w, http.StatusOK, status)
	})
	return mux
}

func allowGet(w http.ResponseWriter, req *http.Request) bool {
	if req.Method == http.MethodGet || req.Method == http.MethodHead {
		return true
	}
	w.Header().Set("Allow", "GET, HEAD")
	writeJSON(w, http.StatusMethodNotAllowed, map[string]string{"error": "only GET"})
	return false
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	_ = enc.Encode(v) // the client may have gone; nothing to do then
}
