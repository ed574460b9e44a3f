package main

import (
	"bufio"
	"crypto/rand"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/slipdesk/slipdesk/scripts/internal/proc"
)

// server is a process this command started and stops.
type server struct {
	cmd    *exec.Cmd
	addr   string
	exited chan struct{}
}

// start runs cmd with its output in the file log and returns once ready
// says it serves addr, or fails when it exits or 60 s pass first.
func start(cmd *exec.Cmd, addr, log string, ready func() bool) (*server, error) {
	out, err := os.Create(log)
	if err != nil {
		return nil, err
	}
	cmd.Stdout, cmd.Stderr = out, out
	// Its own process group, so that an interrupt of this command does
	// not reach it before it is stopped in order.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		out.Close()
		return nil, err
	}
	s := &server{cmd: cmd, addr: addr, exited: make(chan struct{})}
	go func() { _ = cmd.Wait(); out.Close(); close(s.exited) }()
	for deadline := time.Now().Add(60 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		select {
		case <-s.exited:
			return nil, errors.New("exited before it was ready")
		default:
		}
		if ready() {
			return s, nil
		}
	}
	s.stop()
	return nil, errors.New("not ready after 60 s")
}

// stop ends the process: SIGTERM, then SIGKILL after 10 s.
func (s *server) stop() {
	proc.Stop(s.cmd.Process, s.exited, 10*time.Second)
}

// cpu returns the CPU time the process has used so far, user and system,
// from /proc; 0 where there is none.
func (s *server) cpu() time.Duration {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(s.cmd.Process.Pid) + "/stat")
	if err != nil {
		return 0
	}
	// The command name, in parentheses, may hold spaces: count fields
	// after its closing parenthesis; utime and stime are the 14th and
	// 15th fields of the line, in clock ticks (100 a second on Linux).
	rest := string(b[strings.LastIndexByte(string(b), ')')+2:])
	f := strings.Fields(rest)
	if len(f) < 13 {
		return 0
	}
	utime, _ := strconv.ParseInt(f[11], 10, 64)
	stime, _ := strconv.ParseInt(f[12], 10, 64)
	return time.Duration(utime+stime) * 10 * time.Millisecond
}

// tries starts a server up to three times: the port freeAddr found free
// may be taken by the time the server listens.
func tries(start func() (*server, error)) (*server, error) {
	var err error
	for range 3 {
		var s *server
		if s, err = start(); err == nil {
			return s, nil
		}
	}
	return nil, err
}

// freeAddr returns a loopback address no one listens on now.
func freeAddr() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer ln.Close()
	return ln.Addr().String(), nil
}

// startRedis runs a private redis-server that keeps nothing on disk.
func startRedis(log string) (*server, error) {
	addr, err := freeAddr()
	if err != nil {
		return nil, err
	}
	_, port, _ := net.SplitHostPort(addr)
	cmd := exec.Command("redis-server", "--bind", "127.0.0.1", "--port", port, "--save", "", "--appendonly", "no")
	return start(cmd, addr, log, func() bool {
		c, err := net.DialTimeout("tcp", addr, time.Second)
		if err != nil {
			return false
		}
		defer c.Close()
		_ = c.SetDeadline(time.Now().Add(time.Second))
		if _, err := c.Write([]byte("PING\r\n")); err != nil {
			return false
		}
		line, err := bufio.NewReader(c).ReadString('\n')
		return err == nil && strings.HasPrefix(line, "+PONG")
	})
}

// startSlipdesk runs "slipdesk serve" with env added to its environment,
// and a web chat secret of its own.
func startSlipdesk(bin string, env []string, log string) (*server, error) {
	addr, err := freeAddr()
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(bin, "serve", "--addr", addr)
	cmd.Env = append(os.Environ(), "SLIPDESK_WEB_SECRET="+rand.Text(), "SLIPDESK_LOG_LEVEL=error",
		"SLIPDESK_PROOF_DIR="+filepath.Join(filepath.Dir(log), "proofs"))
	cmd.Env = append(cmd.Env, env...)
	return start(cmd, addr, log, func() bool { return httpOK("http://" + addr + "/readyz") })
}

// startBotkit runs the Botkit bot of dir with node.
func startBotkit(node, dir, log string) (*server, error) {
	addr, err := freeAddr()
	if err != nil {
		return nil, err
	}
	if _, err := os.Stat(filepath.Join(dir, "node_modules", "botkit")); err != nil {
		return nil, fmt.Errorf("%s has no node_modules/botkit: run npm ci --ignore-scripts there", dir)
	}
	_, port, _ := net.SplitHostPort(addr)
	cmd := exec.Command(node, "bot.js", port)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "NODE_ENV=production")
	probe := botkitChat{base: "http://" + addr}
	return start(cmd, addr, log, func() bool { return probe.ping() })
}

func httpOK(url string) bool {
	c := http.Client{Timeout: time.Second}
	resp, err := c.Get(url)
	if err != nil {
		return false
	}
	resp.Body.Close()
	return resp.StatusCode == http.StatusOK
}
