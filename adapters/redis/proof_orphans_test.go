package redisstore_test

import (
	"io/fs"
	"path/filepath"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/slipdesk/slipdesk/adapters/redis/redistest"
	"github.com/slipdesk/slipdesk/bot"
	"github.com/slipdesk/slipdesk/bot/bottest"
)

// proofFiles scans the proof folder and returns the files in it.
func proofFiles(t *testing.T, d *redistest.Desk) []string {
	t.Helper()
	var files []string
	err := filepath.WalkDir(d.Proofs.Dir(), func(path string, e fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if e.Type().IsRegular() {
			files = append(files, path)
		}
		return nil
	})
	if err != nil {
		t.Fatalf("scan proof folder: %v", err)
	}
	return files
}

// TestNoOrphanProofFiles sends three files to a case that takes two: the
// third, refused after the channel stored it, leaves no file behind;
// /delete removes the other two; a second consumer's files go when the
// case's retention ends. A scan of the proof folder checks each step.
func TestNoOrphanProofFiles(t *testing.T) {
	redistest.Backends(t, func(t *testing.T, rdb redis.UniversalClient) {
		opt := redistest.CaseFixture(t)
		opt.Cases.MaxProofs = 2
		d := redistest.NewDesk(t, rdb, opt)
		redistest.AddMerchant(t, d, bot.Merchant{Name: "Starlight", Lang: "en"}, chat("shop"))
		cd := &caseDesk{Desk: d, t: t}
		cd.report("alice")
		for i, kind := range []string{"png", "jpeg", "pdf"} {
			a := redistest.ReadFile(t, d, chat("alice"), "proof."+kind, bottest.SampleFile(t, kind))
			got := cd.send("alice", bot.Event{Kind: bot.EventFile, File: &a})
			if wantID := bot.MsgProofReceived; i == 2 {
				wantID = bot.MsgProofLimit
				if got[0].MsgID != wantID {
					t.Fatalf("third file answered %v, want %s", bottest.IDs(got), wantID)
				}
			} else if got[0].MsgID != wantID {
				t.Fatalf("file %d answered %v, want %s", i+1, bottest.IDs(got), wantID)
			}
		}
		d.Drain(t)
		if files := proofFiles(t, d); len(files) != 2 {
			t.Fatalf("proof folder holds %d files after a refusal, want the 2 kept: %v", len(files), files)
		}
		want(t, cd.text("alice", "/delete"), bot.MsgDeleted)
		d.Drain(t)
		if files := proofFiles(t, d); len(files) != 0 {
			t.Fatalf("proof folder holds %v after /delete, want nothing", files)
		}

		cd.report("bob")
		a := redistest.ReadFile(t, d, chat("bob"), "statement.pdf", bottest.SampleFile(t, "pdf"))
		cd.send("bob", bot.Event{Kind: bot.EventFile, File: &a})
		d.Drain(t)
		if files := proofFiles(t, d); len(files) != 1 {
			t.Fatalf("proof folder holds %v, want bob's file", files)
		}
		d.Clock.Advance(91 * 24 * time.Hour)
		d.Drain(t)
		if files := proofFiles(t, d); len(files) != 0 {
			t.Fatalf("proof folder holds %v after the retention, want nothing", files)
		}
	})
}
