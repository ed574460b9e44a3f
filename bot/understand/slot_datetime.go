package understand

import (
	"regexp"
	"strconv"
	"strings"
	"time"
)

// DatetimeLayout is the datetime slot's value when the answer gave a
// time of day, in the configured zone.
const DatetimeLayout = "2006-01-02 15:04"

// DateLayout is the datetime slot's value when the answer gave the day
// alone ("前天", "last Friday").
const DateLayout = "2006-01-02"

// datetimeSkew is how far ahead of the message a time may be and still
// count as now: clocks differ.
const datetimeSkew = time.Minute

// datetimeMaxAge is how far back a payment may lie.
const datetimeMaxAge = 2 // years

// datetimeSlot reads when a payment happened: "2026-11-24 15:30",
// "11月24日下午3点", "昨天晚上8点", "前天", "yesterday 3pm", "last night",
// "刚才", "3 days ago". Its value is "YYYY-MM-DD HH:MM" in the configured
// zone when a time of day is known, "YYYY-MM-DD" when only the day is.
// Never later than the message; never older than two years.
//
// It is a small grammar of our own rather than a date library: of the
// two tried, olebedev/when panicked on "昨天晚上8点", and
// markusmobius/go-dateparser read "11月24日 15:30" as 2011 and "三天前"
// as today, cannot tell a day from a time of day, and adds 8 MB and
// 150 ms of start-up to the binary for languages we do not speak.
type datetimeSlot struct{}

// Parse implements Parser.
func (datetimeSlot) Parse(env Env, text string) (string, string) {
	s, ok := slotInput(text)
	if !ok {
		return "", MsgDatetime
	}
	loc := env.Loc
	if loc == nil {
		loc = DefaultLocation()
	}
	now := env.Now
	if now.IsZero() {
		now = time.Now()
	}
	p := &dtParser{now: now.In(loc), loc: loc}
	if !p.read(cnDigits(s)) {
		return "", MsgDatetime
	}
	return p.result()
}

// Parts of a day an answer may name. They settle what a bare hour means
// ("晚上8点" is 20:00) and, without an hour, say nothing more than the day.
const (
	periodNone = iota
	periodDawn
	periodMorning
	periodNoon
	periodAfternoon
	periodNight
)

// dtParser collects the parts of an answer, each at most once, in any
// order: "昨天晚上8点", "3pm yesterday", "8点左右 last night".
type dtParser struct {
	now time.Time
	loc *time.Location

	hasDate bool
	y, m, d int // y 0: no year given; m 0: this month or the last

	hasInstant bool
	instant    time.Time

	period int

	hasClock bool
	hour     int
	min      int
	ampm     string
	// exact is set for a written clock time ("08:30", "15:30"), whose
	// hour is read as it stands; a bare or Chinese hour ("3点", "at 3")
	// is read as people at a shop mean it (see clock).
	exact bool
	// askAmPm is set when a bare hour could be morning or evening.
	askAmPm bool

	// approx is set for a vague day ("前几天", "a couple of days ago");
	// month for a vague month ("上个月"). The value then starts with "~".
	approx, month bool

	// afterAt is set by "at" or "约"; prevAt tells a rule that the part
	// before it was one, so that a bare number there is an hour ("at 3").
	afterAt, prevAt bool
}

type dtRule struct {
	re    *regexp.Regexp
	apply func(p *dtParser, m []string) bool
}

// Each rule matches at the start of what is left of the answer, after
// Chinese numerals became digits. Order matters where rules share a
// prefix. Go's regexp runs in linear time: no pattern can blow up.
var dtRules = []dtRule{
	// 2026-11-24, 2026/11/24, 2026.11.24, 2026年11月24日, 20261124
	{rx(`(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*[日号]?`), ruleDate},
	{rx(`(\d{4})(\d{2})(\d{2})\b`), ruleDate},
	// 3 days ago, 2 hours ago, 三天前, 两个小时前, 半小时前
	{rx(`(\d{1,6}|an?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)\s*(minutes?|mins?|hours?|hrs?|days?|weeks?)\s+ago\b`), ruleAgo},
	{rx(`half\s+an\s+hour\s+ago\b`), func(p *dtParser, _ []string) bool { return p.setInstant(p.now.Add(-30 * time.Minute)) }},
	// Vague days and months, kept as approximate.
	{rx(`(?:a\s+)?couple\s+(?:of\s+)?days\s+ago\b`), ruleApproxAgo(2)},
	{rx(`(?:a\s+)?few\s+days\s+ago\b|several\s+days\s+ago\b|the\s+other\s+day\b|recently\b`), ruleApproxAgo(3)},
	{rx(`前几天|前[两2]天|这几天|最近|前些天|前段时间`), ruleApproxAgo(3)},
	{rx(`last\s+week\b|a\s+week\s+ago\b`), ruleApproxAgo(7)},
	{rx(`上个?(?:周|星期|礼拜)(?:的时候)?$`), ruleApproxAgo(7)},
	{rx(`上个月|上月|last\s+month\b|a\s+month\s+ago\b`), ruleLastMonth},
	{rx(`(\d{1,6}|半)\s*个?\s*(分钟|分|小时|钟头|天|日|周|星期|礼拜)\s*(?:以前|之前|前)`), ruleAgo},
	// A value this slot gave: ~2026-11-22 (a vague day), ~2026-10 (a month)
	{rx(`~\s*(\d{4})-(\d{2})-(\d{2})`), ruleApproxDate},
	{rx(`~\s*(\d{4})-(\d{2})\b`), ruleApproxMonth},
	// 24/11/2026, 24.11.2026: the day first, as where a year comes last
	{rx(`(\d{1,2})\s*[-/.]\s*(\d{1,2})\s*[-/.]\s*(\d{4})\b`), ruleDayMonthYear},
	// 11月24日, 11/24, 11-24, 11.24
	{rx(`(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]?`), ruleMonthDay},
	{rx(`(\d{1,2})\s*[-/.]\s*(\d{1,2})\b`), ruleMonthDay},
	// Nov 24, November 24th, 2026; 24 Nov 2026
	{rx(`(` + monthNames + `)\.?\s*(\d{1,2})(?:st|nd|rd|th)?\b(?:\s*,?\s*(\d{4})\b)?`), ruleMonthNameDay},
	{rx(`(\d{1,2})(?:st|nd|rd|th)?\s*(?:of\s+)?(` + monthNames + `)\b\.?(?:\s*,?\s*(\d{4})\b)?`), ruleDayMonthName},
	// 15:30, 3:30pm, 3pm, 3点, 15点30分, 3点半, 3点1刻, 3 o'clock
	{rx(`t?(\d{1,2})\s*:\s*(\d{2})(?:\s*:\s*\d{2})?(?:\s*(am|pm|a\.m\.?|p\.m\.?)\b)?`), ruleClock},
	{rx(`(\d{1,2})\s*(am|pm|a\.m\.?|p\.m\.?)\b`), ruleHourAmPm},
	{rx(`(\d{1,2})\s*[点點时時]\s*(?:(半)|(\d{1,2})\s*(分|刻)?|整)?`), ruleCnClock},
	{rx(`(\d{1,2})\s*o'?clock\b`), ruleHourAmPm},
	// 24号, 24日: a day of this month
	{rx(`(\d{1,2})\s*[日号]`), ruleDayOfMonth},
	// at 3: a bare hour after "at"
	{rx(`(\d{1,2})\b`), ruleBareHour},
	// Days relative to today.
	{rx(`(?:the\s+)?day\s+before\s+yesterday\b`), ruleDay(-2, periodNone)},
	{rx(`大前天`), ruleDay(-3, periodNone)},
	{rx(`前天|前日`), ruleDay(-2, periodNone)},
	{rx(`昨天|昨日|昨儿`), ruleDay(-1, periodNone)},
	{rx(`昨晚|昨夜`), ruleDay(-1, periodNight)},
	{rx(`今天|今日|今儿`), ruleDay(0, periodNone)},
	{rx(`今早|今晨`), ruleDay(0, periodMorning)},
	{rx(`今晚|今夜`), ruleDay(0, periodNight)},
	// Days to come, read so as to answer "not yet" rather than "what?".
	{rx(`明天|明日|明早|明晚|tomorrow\b`), ruleDay(1, periodNone)},
	{rx(`后天`), ruleDay(2, periodNone)},
	{rx(`yesterday\b`), ruleDay(-1, periodNone)},
	{rx(`today\b`), ruleDay(0, periodNone)},
	{rx(`tonight\b`), ruleDay(0, periodNight)},
	{rx(`last\s+night\b`), ruleDay(-1, periodNight)},
	{rx(`this\s+morning\b`), ruleDay(0, periodMorning)},
	{rx(`this\s+afternoon\b`), ruleDay(0, periodAfternoon)},
	{rx(`this\s+evening\b`), ruleDay(0, periodNight)},
	{rx(`刚才|刚刚|现在|这会儿|just\s+now\b|right\s+now\b|now\b|a\s+moment\s+ago\b|moments\s+ago\b`), func(p *dtParser, _ []string) bool { return p.setInstant(p.now) }},
	// 周五, 星期五, 上周五, 上个星期天; friday, last fri
	{rx(`(上个?)?(?:周|星期|礼拜)([1-7日天])`), ruleCnWeekday},
	{rx(`(last\s+)?(` + weekdayNames + `)\b`), ruleWeekday},
	// Parts of the day.
	{rx(`凌晨`), rulePeriod(periodDawn)},
	{rx(`早上|早晨|清晨|上午|早`), rulePeriod(periodMorning)},
	{rx(`中午|正午`), rulePeriod(periodNoon)},
	{rx(`下午|午后|傍晚`), rulePeriod(periodAfternoon)},
	{rx(`晚上|晚间|夜里|夜间|夜晚|半夜|深夜|晚|夜`), rulePeriod(periodNight)},
	{rx(`(?:in\s+the\s+)?morning\b`), rulePeriod(periodMorning)},
	{rx(`(?:in\s+the\s+)?afternoon\b`), rulePeriod(periodAfternoon)},
	{rx(`(?:in\s+the\s+)?(?:evening|night)\b`), rulePeriod(periodNight)},
	{rx(`noon\b|midday\b`), func(p *dtParser, _ []string) bool { return p.setClock(12, 0, "") }},
	{rx(`midnight\b`), func(p *dtParser, _ []string) bool { return p.setClock(0, 0, "") }},
	// Words that add nothing.
	{rx(`(?:at|around|about|approximately|approx|circa)\b\.?|@|约|大约|大概|差不多`), func(p *dtParser, _ []string) bool { p.afterAt = true; return true }},
	{rx(`(?:on|of|the|ish)\b|[,、~]|左右|前后|的|时候|那天|当天|在|于|多|来钟`), func(*dtParser, []string) bool { return true }},
}

const (
	monthNames   = `january|february|march|april|may|june|july|august|september|october|november|december|jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec`
	weekdayNames = `monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tues|tue|wed|thurs|thu|fri|sat|sun`
)

func rx(pattern string) *regexp.Regexp { return regexp.MustCompile(`^(?:` + pattern + `)`) }

// maxDatetimeParts bounds the parts of one answer: "大约 11月24日 的
// 下午 3点 左右" has six; a longer run is no date, and reading it costs.
const maxDatetimeParts = 12

// read applies the rules until the answer is used up; it fails on
// anything no rule knows, on a part given twice and on too many parts.
func (p *dtParser) read(s string) bool {
	parts := 0
	for s = strings.TrimSpace(s); s != ""; s = strings.TrimSpace(s) {
		if parts++; parts > maxDatetimeParts {
			return false
		}
		matched := false
		for _, r := range dtRules {
			m := r.re.FindStringSubmatch(s)
			if m == nil || m[0] == "" {
				continue
			}
			p.prevAt, p.afterAt = p.afterAt, false
			if !r.apply(p, m) {
				return false
			}
			s, matched = s[len(m[0]):], true
			break
		}
		if !matched {
			return false
		}
	}
	return true
}

func atoi(s string) int {
	n, err := strconv.Atoi(s)
	if err != nil {
		return -1
	}
	return n
}

func ruleDate(p *dtParser, m []string) bool {
	return p.setDate(yearOf(m[1]), atoi(m[2]), atoi(m[3]))
}

// yearOf reads a written year; "" is no year (0), and the year 0000 is
// no year anyone paid in (-1, refused).
func yearOf(s string) int {
	if s == "" {
		return 0
	}
	if y := atoi(s); y > 0 {
		return y
	}
	return -1
}

func ruleMonthDay(p *dtParser, m []string) bool {
	month, day := atoi(m[1]), atoi(m[2])
	if month > 12 && day <= 12 {
		month, day = day, month // 24/11 cannot be the 11th of month 24
	}
	return p.setDate(0, month, day)
}

func ruleDayOfMonth(p *dtParser, m []string) bool {
	// Only a bare day: "24号". After "11月" the month-day rule took it.
	return p.setDate(0, 0, atoi(m[1]))
}

func monthOf(name string) int {
	for i, n := range []string{"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"} {
		if strings.HasPrefix(name, n) {
			return i + 1
		}
	}
	return -1
}

func ruleMonthNameDay(p *dtParser, m []string) bool {
	return p.setDate(yearOf(m[3]), monthOf(m[1]), atoi(m[2]))
}

func ruleDayMonthName(p *dtParser, m []string) bool {
	return p.setDate(yearOf(m[3]), monthOf(m[2]), atoi(m[1]))
}

var englishCounts = map[string]int{
	"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
	"seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
}

func ruleAgo(p *dtParser, m []string) bool {
	unit := m[2]
	if m[1] == "半" {
		if unit != "小时" && unit != "钟头" {
			return false
		}
		return p.setInstant(p.now.Add(-30 * time.Minute))
	}
	n, ok := englishCounts[m[1]]
	if !ok {
		n = atoi(m[1])
	}
	switch {
	case strings.HasPrefix(unit, "min"), unit == "分钟", unit == "分":
		return p.setInstant(p.now.Add(-time.Duration(n) * time.Minute))
	case strings.HasPrefix(unit, "h"), unit == "小时", unit == "钟头":
		return p.setInstant(p.now.Add(-time.Duration(n) * time.Hour))
	case strings.HasPrefix(unit, "day"), unit == "天", unit == "日":
		return p.setDay(p.now.AddDate(0, 0, -n))
	default: // weeks
		return p.setDay(p.now.AddDate(0, 0, -7*n))
	}
}

func ruleDay(offset, period int) func(*dtParser, []string) bool {
	return func(p *dtParser, _ []string) bool {
		return p.setDay(p.now.AddDate(0, 0, offset)) && (period == periodNone || p.setPeriod(period))
	}
}

func rulePeriod(period int) func(*dtParser, []string) bool {
	return func(p *dtParser, _ []string) bool { return p.setPeriod(period) }
}

func ruleClock(p *dtParser, m []string) bool {
	if !p.setClock(atoi(m[1]), atoi(m[2]), ampm(m[3])) {
		return false
	}
	p.exact = true
	return true
}

func ruleDayMonthYear(p *dtParser, m []string) bool {
	day, month := atoi(m[1]), atoi(m[2])
	if day <= 12 && month > 12 {
		day, month = month, day // 11/24/2026 written month first
	}
	return p.setDate(yearOf(m[3]), month, day)
}

func ruleApproxDate(p *dtParser, m []string) bool {
	p.approx = true
	return p.setDate(yearOf(m[1]), atoi(m[2]), atoi(m[3]))
}

func ruleApproxMonth(p *dtParser, m []string) bool {
	p.approx, p.month = true, true
	return p.setDate(yearOf(m[1]), atoi(m[2]), 1)
}

// ruleApproxAgo reads a vague "some days ago" as about days ago.
func ruleApproxAgo(days int) func(*dtParser, []string) bool {
	return func(p *dtParser, _ []string) bool {
		p.approx = true
		return p.setDay(p.now.AddDate(0, 0, -days))
	}
}

// ruleLastMonth reads "上个月" as the month before this one.
func ruleLastMonth(p *dtParser, _ []string) bool {
	p.approx, p.month = true, true
	first := time.Date(p.now.Year(), p.now.Month(), 1, 0, 0, 0, 0, p.loc).AddDate(0, -1, 0)
	return p.setDate(first.Year(), int(first.Month()), 1)
}

func ruleHourAmPm(p *dtParser, m []string) bool {
	a := ""
	if len(m) > 2 {
		a = ampm(m[2])
	}
	return p.setClock(atoi(m[1]), 0, a)
}

func ruleCnClock(p *dtParser, m []string) bool {
	minute := 0
	switch {
	case m[2] != "":
		minute = 30
	case m[4] == "刻":
		minute = atoi(m[3]) * 15
		if minute > 45 {
			return false
		}
	case m[3] != "":
		minute = atoi(m[3])
	}
	return p.setClock(atoi(m[1]), minute, "")
}

func ruleBareHour(p *dtParser, m []string) bool {
	if !p.prevAt {
		return false
	}
	return p.setClock(atoi(m[1]), 0, "")
}

func ampm(s string) string {
	switch {
	case s == "":
		return ""
	case s[0] == 'a':
		return "am"
	}
	return "pm"
}

var cnWeekdays = map[string]int{"1": 1, "2": 2, "3": 3, "4": 4, "5": 5, "6": 6, "7": 7, "日": 7, "天": 7}

func ruleCnWeekday(p *dtParser, m []string) bool {
	want := cnWeekdays[m[2]] // Monday 1 … Sunday 7
	today := (int(p.now.Weekday())+6)%7 + 1
	if m[1] != "" {
		// 上周五: Friday of the week before this one (weeks start on Monday).
		return p.setDay(p.now.AddDate(0, 0, -(today-1)-7+(want-1)))
	}
	// 周五: the last Friday up to today.
	return p.setDay(p.now.AddDate(0, 0, -((today - want + 7) % 7)))
}

func ruleWeekday(p *dtParser, m []string) bool {
	want := -1
	for i, n := range []string{"sun", "mon", "tue", "wed", "thu", "fri", "sat"} {
		if strings.HasPrefix(m[2], n) {
			want = i
		}
	}
	back := (int(p.now.Weekday()) - want + 7) % 7
	if m[1] != "" && back == 0 {
		back = 7 // "last friday" on a Friday is a week ago
	}
	return p.setDay(p.now.AddDate(0, 0, -back))
}

// setDate records a day; y 0 is no year, m 0 no month.
func (p *dtParser) setDate(y, m, d int) bool {
	if p.hasDate || p.hasInstant || y < 0 || m < 0 || d < 0 {
		return false
	}
	p.hasDate, p.y, p.m, p.d = true, y, m, d
	return true
}

func (p *dtParser) setDay(t time.Time) bool {
	return p.setDate(t.Year(), int(t.Month()), t.Day())
}

func (p *dtParser) setInstant(t time.Time) bool {
	if p.hasDate || p.hasInstant {
		return false
	}
	p.hasInstant, p.instant = true, t
	return true
}

func (p *dtParser) setPeriod(period int) bool {
	if p.period != periodNone {
		return false
	}
	p.period = period
	return true
}

func (p *dtParser) setClock(h, m int, ampm string) bool {
	if p.hasClock || h < 0 || m < 0 {
		return false
	}
	p.hasClock, p.hour, p.min, p.ampm = true, h, m, ampm
	return true
}

// clock returns the hour of the day the answer means, 24 and beyond for
// the small hours after an evening ("昨天晚上1点"), or false.
func (p *dtParser) clock() (int, bool) {
	h := p.hour
	if p.min > 59 {
		return 0, false
	}
	switch {
	case p.ampm == "am" && p.period == periodNight:
		// "last night at 1am" is the small hours after that evening.
		if h < 1 || h > 12 || h%12 > 5 {
			return 0, false
		}
		return h%12 + 24, true
	case p.ampm == "am" && p.period != periodAfternoon:
		if h < 1 || h > 12 {
			return 0, false
		}
		return h % 12, true
	case p.ampm == "pm" && p.period != periodDawn && p.period != periodMorning:
		if h < 1 || h > 12 {
			return 0, false
		}
		return h%12 + 12, true
	case p.ampm != "":
		return 0, false // "下午3am"
	}
	switch p.period {
	case periodNone:
		if p.exact || h == 0 || h >= 12 {
			return h, h <= 23
		}
		// A bare hour at a shop: 1 to 6 is the afternoon ("昨天3点" is
		// 15:00, which the summary shows); 7 to 11 could be either.
		if h <= 6 {
			return h + 12, true
		}
		p.askAmPm = true
		return h, true
	case periodDawn:
		if h == 12 {
			return 0, true
		}
		return h, h <= 6
	case periodMorning:
		return h, h <= 12
	case periodNoon:
		if h >= 1 && h <= 2 {
			return h + 12, true
		}
		return h, h >= 11 && h <= 14
	case periodAfternoon:
		if h >= 1 && h <= 11 {
			return h + 12, true
		}
		return h, h >= 12 && h <= 23
	default: // night
		switch {
		case h <= 5:
			return h + 24, true
		case h <= 11:
			return h + 12, true
		case h == 12:
			return 24, true
		}
		return h, h <= 23
	}
}

// result turns the parts into the slot's value, or the problem.
func (p *dtParser) result() (string, string) {
	now := p.now
	if p.hasInstant {
		if p.hasClock || p.period != periodNone {
			return "", MsgDatetime
		}
		return p.bounded(p.instant, true)
	}
	if !p.hasDate && !p.hasClock && p.period == periodNone {
		return "", MsgDatetime // only "at" or "的"
	}
	y, m, d := now.Year(), int(now.Month()), now.Day()
	if p.hasDate {
		y, m, d = p.y, p.m, p.d
		switch {
		case m == 0:
			// 24号: this month, or last month if the 24th is still to come.
			y, m = now.Year(), int(now.Month())
			if d > now.Day() {
				m--
			}
			if m == 0 {
				m, y = 12, y-1
			}
		case y == 0:
			// A date without a year is the last one: in November,
			// "12月3日" is last December.
			y = now.Year()
			if m > int(now.Month()) || (m == int(now.Month()) && d > now.Day()) {
				y--
			}
		}
	}
	if y < 1 || y > 9999 || m < 1 || m > 12 || d < 1 || d > monthLength(y, time.Month(m)) {
		return "", MsgDatetime
	}
	if p.approx {
		if p.hasClock || p.period != periodNone {
			return "", MsgDatetime // "前几天下午3点" names no one time
		}
		v, problem := p.bounded(time.Date(y, time.Month(m), d, 0, 0, 0, 0, p.loc), false)
		if problem != "" {
			return "", problem
		}
		if p.month {
			v = v[:len("2006-01")]
		}
		return "~" + v, ""
	}
	if !p.hasClock {
		return p.bounded(time.Date(y, time.Month(m), d, 0, 0, 0, 0, p.loc), false)
	}
	h, ok := p.clock()
	if !ok {
		return "", MsgDatetime
	}
	if p.askAmPm {
		return "", MsgDatetimeAmPm
	}
	v, problem := p.bounded(time.Date(y, time.Month(m), d, h, p.min, 0, 0, p.loc), true)
	if problem == MsgDatetimeFuture && p.period == periodNone && !p.exact && p.ampm == "" && h >= 13 && h <= 18 {
		// "今天3点" said at 10:00 was the morning after all.
		return p.bounded(time.Date(y, time.Month(m), d, h-12, p.min, 0, 0, p.loc), true)
	}
	return v, problem
}

func monthLength(y int, m time.Month) int {
	return time.Date(y, m+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

// bounded checks t against the message's time and formats it: a time of
// day to the minute (a minute of clock skew counts as now), a day alone.
func (p *dtParser) bounded(t time.Time, withTime bool) (string, string) {
	now := floorMinute(p.now)
	oldest := now.AddDate(-datetimeMaxAge, 0, 0)
	if !withTime {
		today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, p.loc)
		oldest = time.Date(oldest.Year(), oldest.Month(), oldest.Day(), 0, 0, 0, 0, p.loc)
		switch {
		case t.After(today):
			return "", MsgDatetimeFuture
		case t.Before(oldest):
			return "", MsgDatetimeTooOld
		}
		return t.Format(DateLayout), ""
	}
	t = floorMinute(t)
	switch {
	case t.After(now.Add(datetimeSkew)):
		return "", MsgDatetimeFuture
	case t.After(now):
		t = now
	case t.Before(oldest):
		return "", MsgDatetimeTooOld
	}
	return t.Format(DatetimeLayout), ""
}

// floorMinute drops the seconds of t, in its own zone.
func floorMinute(t time.Time) time.Time {
	return time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), 0, 0, t.Location())
}
