// Package proc holds what the measuring scripts do with the processes
// they start.
package proc

import (
	"os"
	"syscall"
	"time"
)

// Stop ends p, whose exit closes exited: SIGTERM, then SIGKILL when it
// has not exited after grace.
func Stop(p *os.Process, exited <-chan struct{}, grace time.Duration) {
	_ = p.Signal(syscall.SIGTERM)
	select {
	case <-exited:
	case <-time.After(grace):
		_ = p.Kill()
		<-exited
	}
}
