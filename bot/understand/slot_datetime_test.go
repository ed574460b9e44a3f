package understand_test

import (
	"strings"
	"testing"
	"time"

	"github.com/slipdesk/slipdesk/bot/understand"
)

// slotEnv is a Wednesday evening in Shanghai: 2026-11-25 21:00.
func slotEnv() understand.Env {
	loc := understand.DefaultLocation()
	return understand.Env{Now: time.Date(2026, 11, 25, 21, 0, 0, 0, loc), Loc: loc}
}

// slotCase is one answer to a typed slot and what it must give.
type slotCase struct {
	in, want, problem string
}

func runSlotCases(t *testing.T, typ string, env understand.Env, tests []slotCase) {
	t.Helper()
	st := understand.Types()[typ]
	if st == nil {
		t.Fatalf("no slot type %q", typ)
	}
	for _, tt := range tests {
		name := tt.in
		if len(name) > 24 {
			name = name[:24] + "..."
		}
		t.Run(name, func(t *testing.T) {
			got, problem := st.Parse(env, tt.in)
			if got != tt.want || problem != tt.problem {
				t.Errorf("%s.Parse(%q) = %q, %q; want %q, %q", typ, tt.in, got, problem, tt.want, tt.problem)
			}
		})
	}
}

// hostile are answers every typed slot must refuse with its re-ask.
var hostile = []string{
	"", " ", "\t\n", "🧾", "🧾🧾🧾", "???", "\xff\xfe", "abc\x00def",
	strings.Repeat("9", 10000), strings.Repeat("１", 300), strings.Repeat("一", 300),
	"ＡＢＣ", "昨天 yesterday 🧾", "DROP TABLE", strings.Repeat("3 days ago ", 30),
}

func TestDatetimeSlot(t *testing.T) {
	const (
		bad    = understand.MsgDatetime
		future = understand.MsgDatetimeFuture
		old    = understand.MsgDatetimeTooOld
	)
	tests := []slotCase{
		// Absolute dates and times.
		{"2026-11-24 15:30", "2026-11-24 15:30", ""},
		{"2026/11/24", "2026-11-24", ""},
		{"2026.11.24", "2026-11-24", ""},
		{"20261124", "2026-11-24", ""},
		{"2026-11-24T15:30", "2026-11-24 15:30", ""},
		{"2026-11-24 15:30:59", "2026-11-24 15:30", ""},
		{"2026年11月24日", "2026-11-24", ""},
		{"２０２６年１１月２４日", "2026-11-24", ""},
		{"２０２６－１１－２４　１５：３０", "2026-11-24 15:30", ""},
		{"二〇二六年十一月二十四日", "2026-11-24", ""},
		{"11月24日下午3点", "2026-11-24 15:00", ""},
		{"11月24日 15:30", "2026-11-24 15:30", ""},
		{"十一月二十四日下午三点一刻", "2026-11-24 15:15", ""},
		{"11月24号晚上8点半", "2026-11-24 20:30", ""},
		{"11/24", "2026-11-24", ""},
		{"24/11", "2026-11-24", ""},
		{"24号", "2026-11-24", ""},
		{"26号", "2026-10-26", ""}, // the 26th is still to come this month
		{"Nov 24", "2026-11-24", ""},
		{"November 24th, 2026", "2026-11-24", ""},
		{"24 Nov 2026 3:30pm", "2026-11-24 15:30", ""},
		{"24th of November at 9am", "2026-11-24 09:00", ""},
		// A date without a year that is still to come was last year.
		{"12月3日", "2025-12-03", ""},
		{"Dec 3", "2025-12-03", ""},
		{"11月25日", "2026-11-25", ""},
		{"11月26日", "2025-11-26", ""},
		// Relative days and parts of the day.
		{"今天", "2026-11-25", ""},
		{"today", "2026-11-25", ""},
		{"昨天", "2026-11-24", ""},
		{"yesterday", "2026-11-24", ""},
		{"前天", "2026-11-23", ""},
		{"大前天", "2026-11-22", ""},
		{"the day before yesterday", "2026-11-23", ""},
		{"昨天晚上8点", "2026-11-24 20:00", ""},
		{"昨晚8点", "2026-11-24 20:00", ""},
		{"昨天晚上", "2026-11-24", ""},
		{"昨天晚上12点", "2026-11-25 00:00", ""},
		{"昨天晚上1点", "2026-11-25 01:00", ""},
		{"昨天凌晨1点", "2026-11-24 01:00", ""},
		{"昨天中午1点", "2026-11-24 13:00", ""},
		{"昨天下午3点左右", "2026-11-24 15:00", ""},
		{"昨天15点30分", "2026-11-24 15:30", ""},
		// A bare hour from 7 to 11 could be morning or evening: ask.
		{"昨天8点20", "", understand.MsgDatetimeAmPm},
		{"昨天上午8点20", "2026-11-24 08:20", ""},
		{"昨天08:20", "2026-11-24 08:20", ""},
		// A bare hour from 1 to 6 at a shop is the afternoon.
		{"昨天3点", "2026-11-24 15:00", ""},
		{"yesterday around 3", "2026-11-24 15:00", ""},
		{"前天下午三点多", "2026-11-23 15:00", ""},
		{"今天3点", "2026-11-25 15:00", ""},
		{"11.24", "2026-11-24", ""},
		{"24/11/2026", "2026-11-24", ""},
		{"11/24/2026", "2026-11-24", ""},
		{"11月30号晚上7点半", "2025-11-30 19:30", ""},
		// Vague days and months are kept as approximate.
		{"前几天", "~2026-11-22", ""},
		{"a couple of days ago", "~2026-11-23", ""},
		{"上个月", "~2026-10", ""},
		{"last month", "~2026-10", ""},
		{"~2026-11-22", "~2026-11-22", ""},
		{"前几天下午3点", "", bad},
		{"今天上午10点半", "2026-11-25 10:30", ""},
		{"今天上午十点半", "2026-11-25 10:30", ""},
		{"今早9点", "2026-11-25 09:00", ""},
		{"yesterday 3pm", "2026-11-24 15:00", ""},
		{"3pm yesterday", "2026-11-24 15:00", ""},
		{"yesterday at 3 p.m.", "2026-11-24 15:00", ""},
		{"yesterday at 15:30", "2026-11-24 15:30", ""},
		{"yesterday noon", "2026-11-24 12:00", ""},
		{"yesterday evening", "2026-11-24", ""},
		{"last night", "2026-11-24", ""},
		{"last night at 11pm", "2026-11-24 23:00", ""},
		{"last night at 1am", "2026-11-25 01:00", ""},
		{"around 8 last night", "2026-11-24 20:00", ""},
		{"this morning", "2026-11-25", ""},
		{"12am today", "2026-11-25 00:00", ""},
		{"15:30", "2026-11-25 15:30", ""},
		{"下午3点", "2026-11-25 15:00", ""},
		// Moments ago.
		{"刚才", "2026-11-25 21:00", ""},
		{"刚刚", "2026-11-25 21:00", ""},
		{"just now", "2026-11-25 21:00", ""},
		{"Just now!", "2026-11-25 21:00", ""},
		{"2 hours ago", "2026-11-25 19:00", ""},
		{"两个小时前", "2026-11-25 19:00", ""},
		{"半小时前", "2026-11-25 20:30", ""},
		{"half an hour ago", "2026-11-25 20:30", ""},
		{"10分钟前", "2026-11-25 20:50", ""},
		{"3 days ago", "2026-11-22", ""},
		{"a day ago", "2026-11-24", ""},
		{"三天前", "2026-11-22", ""},
		{"3天前", "2026-11-22", ""},
		{"一周前", "2026-11-18", ""},
		{"two weeks ago", "2026-11-11", ""},
		// Weekdays: 2026-11-25 is a Wednesday.
		{"周五", "2026-11-20", ""},
		{"星期三", "2026-11-25", ""},
		{"上周五", "2026-11-20", ""},
		{"上周一", "2026-11-16", ""},
		{"上个星期天", "2026-11-22", ""},
		{"星期一下午3点", "2026-11-23 15:00", ""},
		{"friday", "2026-11-20", ""},
		{"last wednesday", "2026-11-18", ""},
		{"wednesday", "2026-11-25", ""},

		// In the future; a minute of clock skew counts as now.
		{"2026-11-25 21:01", "2026-11-25 21:00", ""},
		{"2026-11-25 21:02", "", future},
		{"晚上11点", "", future},
		{"明天", "", future},
		{"tomorrow 3pm", "", future},
		{"后天", "", future},
		{"2026-11-26", "", future},
		{"2027/1/1", "", future},
		{"9999-12-31", "", future},
		// Older than two years.
		{"2024-11-25", "2024-11-25", ""},
		{"2024-11-25 21:00", "2024-11-25 21:00", ""},
		{"2024-11-25 20:59", "", old},
		{"2024-11-24", "", old},
		{"1999-01-01", "", old},
		{"1000 days ago", "", old},
		{"0001-01-01", "", old},

		// Not a date, or not one that exists.
		{"2026-02-30", "", bad},
		{"2026-13-01", "", bad},
		{"0000-01-01", "", bad},
		{"2026-11-24 25:00", "", bad},
		{"2026-11-24 15:60", "", bad},
		{"下午15点", "2026-11-25 15:00", ""},
		{"上午15点", "", bad},
		{"13pm", "", bad},
		{"下午3am", "", bad},
		{"3", "", bad},
		{"at", "", bad},
		{"的", "", bad},
		{"昨天昨天", "", bad},
		{"昨天 前天", "", bad},
		{"刚才下午3点", "", bad},
		{"soon", "", bad},
		{"不记得了", "", bad},
		{"1234567 days ago", "", bad},
		{"半天前", "", bad},
		{"novel 24", "", bad},
		{"month 3", "", bad},
	}
	for _, s := range hostile {
		tests = append(tests, slotCase{s, "", bad})
	}
	runSlotCases(t, "datetime", slotEnv(), tests)
}

// The value is in the configured zone, whatever zone the message time
// came in.
func TestDatetimeSlotZone(t *testing.T) {
	env := slotEnv()
	env.Now = env.Now.UTC() // 13:00 UTC
	runSlotCases(t, "datetime", env, []slotCase{
		{"just now", "2026-11-25 21:00", ""},
		{"today", "2026-11-25", ""},
	})
	utc := understand.Env{Now: env.Now, Loc: time.UTC}
	runSlotCases(t, "datetime", utc, []slotCase{
		{"just now", "2026-11-25 13:00", ""},
		{"今天下午2点", "", understand.MsgDatetimeFuture},
	})
	newYear := understand.Env{Now: time.Date(2027, 1, 2, 9, 0, 0, 0, env.Loc), Loc: env.Loc}
	runSlotCases(t, "datetime", newYear, []slotCase{
		{"12月31日晚上8点", "2026-12-31 20:00", ""},
		{"5号", "2026-12-05", ""},
		{"上周五", "2026-12-25", ""},
	})
}

func FuzzDatetimeSlot(f *testing.F) {
	for _, s := range []string{
		"2026-11-24 15:30", "2026/11/24", "11月24日下午3点", "昨天晚上8点", "前天", "今天上午10点半",
		"yesterday 3pm", "last night", "刚才", "3 days ago", "三天前", "２０２６年１１月２４日", "明天",
		"上周五", "24号", "Nov 24", "around 8 last night", "\xff", "🧾", strings.Repeat("9", 300),
	} {
		f.Add(s)
	}
	st := understand.Types()["datetime"]
	env := slotEnv()
	oldest := env.Now.AddDate(-2, 0, -1)
	f.Fuzz(func(t *testing.T, s string) {
		v, problem := st.Parse(env, s)
		if problem != "" {
			switch {
			case v != "":
				t.Errorf("Parse(%q) = %q with problem %s, want no value", s, v, problem)
			case problem != understand.MsgDatetime && problem != understand.MsgDatetimeFuture && problem != understand.MsgDatetimeTooOld && problem != understand.MsgDatetimeAmPm:
				t.Errorf("Parse(%q): problem %q is no datetime problem", s, problem)
			}
			return
		}
		// An approximate day or month is marked with "~".
		exact, approx := strings.CutPrefix(v, "~")
		layout := understand.DatetimeLayout
		switch {
		case approx && len(exact) == len("2006-01"):
			layout = "2006-01"
		case len(exact) == len(understand.DateLayout):
			layout = understand.DateLayout
		case approx:
			t.Fatalf("Parse(%q) = %q: an approximate value has no time of day", s, v)
		}
		at, err := time.ParseInLocation(layout, exact, env.Loc)
		if err != nil || at.Format(layout) != exact {
			t.Fatalf("Parse(%q) = %q, not in the %q layout: %v", s, v, layout, err)
		}
		if at.After(env.Now) || at.Before(oldest) {
			t.Errorf("Parse(%q) = %q, outside %v … %v", s, v, oldest, env.Now)
		}
		if again, problem := st.Parse(env, v); again != v || problem != "" {
			t.Errorf("Parse(%q) = %q, but Parse(%q) = %q, %q", s, v, v, again, problem)
		}
	})
}
