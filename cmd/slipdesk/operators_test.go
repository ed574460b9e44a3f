package main

import (
	"context"
	"strings"
	"testing"

	"golang.org/x/crypto/bcrypt"

	redisstore "github.com/slipdesk/slipdesk/adapters/redis"
	"github.com/slipdesk/slipdesk/adapters/redis/redistest"
)

// TestOperatorsAdd: the password is read from standard input and kept
// only as a bcrypt hash; bad names and short passwords are refused.
func TestOperatorsAdd(t *testing.T) {
	prefix := testPrefix(t)
	env := map[string]string{"REDIS_URL": redisURL(), "SLIPDESK_KEY_PREFIX": prefix}
	const pw = "a long enough password"
	if _, errOut, code := run(t, env, pw+"\n", "operators", "add", "ann"); code != 0 {
		t.Fatalf("add: exit %d\n%s", code, errOut)
	}
	store := redisstore.New(redistest.Real(t), prefix)
	hash, err := store.OperatorHash(context.Background(), "ann")
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(hash), pw) || bcrypt.CompareHashAndPassword(hash, []byte(pw)) != nil {
		t.Fatalf("stored %q, want a bcrypt hash of the password", hash)
	}
	if out, _, code := runCapture(t, env, "operators", "list"); code != 0 || out != "ann\n" {
		t.Fatalf("list: %d %q", code, out)
	}
	for _, c := range []struct {
		stdin string
		args  []string
		want  string
	}{
		{pw + "\n", []string{"operators", "add"}, "give one name"},
		{pw + "\n", []string{"operators", "add", "a b"}, "give one name"},
		{pw + "\n", []string{"operators", "add", "<script>"}, "give one name"},
		{"short\n", []string{"operators", "add", "bob"}, "password"},
		{"", []string{"operators", "add", "bob"}, "password"},
		{"", []string{"operators", "remove"}, "unknown command"},
	} {
		if _, errOut, code := run(t, env, c.stdin, c.args...); code != 2 || !strings.Contains(errOut, c.want) {
			t.Errorf("%q: exit %d, %s; want 2 saying %q", c.args, code, errOut, c.want)
		}
	}
}
