package bot

import (
	"fmt"
	"slices"
	"strings"
	"unicode"

	yaml "go.yaml.in/yaml/v3"
)

// Service is one public service line the contact action can give: a bank,
// a payment institution, the police. Operators keep the list in a services
// file beside the flows; the name people see is a locale message, the
// number is data.
type Service struct {
	ID string `yaml:"id"`
	// Name is the message ID of the name shown to users.
	Name   string `yaml:"name"`
	Number string `yaml:"number"`
	// For lists the payment methods (values of the slot the contact
	// action reads) this service is given for.
	For []string `yaml:"for"`
	// Issuer marks a card-issuing bank. Issuers are listed together on
	// one line, after the advice to call the number on the back of the
	// card, so that sixteen banks still fit on a phone screen.
	Issuer bool `yaml:"issuer"`

	Line int `yaml:"-"`
}

// UnmarshalYAML records the service's line.
func (s *Service) UnmarshalYAML(n *yaml.Node) error {
	type plain Service
	if err := decodeNode(n, (*plain)(s)); err != nil {
		return err
	}
	s.Line = n.Line
	return nil
}

// ServiceFile is the file that lists the service numbers.
type ServiceFile struct {
	Services []*Service `yaml:"services"`
}

// Services is the loaded service list, in file order.
type Services struct {
	File string
	List []*Service
}

// Service returns the service with id, or nil.
func (s *Services) Service(id string) *Service {
	if s == nil {
		return nil
	}
	for _, sv := range s.List {
		if sv != nil && sv.ID == id {
			return sv
		}
	}
	return nil
}

// For returns the services given for a payment method, in file order.
func (s *Services) For(method string) []*Service {
	if s == nil || method == "" {
		return nil
	}
	var out []*Service
	for _, sv := range s.List {
		if sv != nil && slices.Contains(sv.For, method) {
			out = append(out, sv)
		}
	}
	return out
}

// The messages the contact action renders its list with.
const (
	// MsgContactList wraps the lines; its {{.Lines}} holds them. A step
	// may name another wrapper with with: {say: MSG}.
	MsgContactList = "contact.list"
	// MsgContactLine is one service: {{.Name}} and {{.Number}}.
	MsgContactLine = "contact.line"
	// MsgContactIssuers is the line of card issuers; {{.List}} holds the
	// banks, each rendered with MsgContactIssuer.
	MsgContactIssuers = "contact.issuers"
	// MsgContactIssuer is one bank in that line: {{.Name}}, {{.Number}}
	// and {{.First}}, so the message can put its separator before every
	// bank but the first.
	MsgContactIssuer = "contact.issuer"
	// MsgContactNone stands in when no service is listed for the way the
	// user paid.
	MsgContactNone = "contact.none"
)

// contactMessages are the messages the contact action may say besides its
// wrapper.
var contactMessages = []string{MsgContactLine, MsgContactIssuers, MsgContactIssuer, MsgContactNone}

// contact says whom to call for the way the user paid. with["by"] names
// the slot holding the payment method; with["add"] lists service IDs said
// whatever the method (such as "police" on the fraud path), comma
// separated; with["say"] names the wrapper message (default contact.list).
// Either by or add may be left out, not both.
func contact(t *Turn, with map[string]string) error {
	svc := t.content.Services
	if svc == nil {
		return fmt.Errorf("contact: no services file is loaded")
	}
	list := svc.For(t.Conv.Slots[with["by"]])
	for _, id := range splitList(with["add"]) {
		sv := svc.Service(id)
		if sv == nil {
			return fmt.Errorf("contact: no service %q in %s", id, svc.File)
		}
		if !slices.Contains(list, sv) {
			list = append(list, sv)
		}
	}
	lines, err := t.contactText(list, with["by"] != "")
	if err != nil {
		return err
	}
	msg := with["say"]
	if msg == "" {
		msg = MsgContactList
	}
	t.Say(msg, map[string]any{"Lines": lines})
	return nil
}

// contactText returns contactLines joined, rendered once per language
// and list: the lines name services and their numbers, nothing of the
// conversation. The lists are the flows' own (a method's services and
// a step's additions), so the cache is bounded by the content.
func (t *Turn) contactText(list []*Service, byMethod bool) (string, error) {
	var key strings.Builder
	key.WriteString(t.Conv.Lang)
	if byMethod {
		key.WriteString("\x00by")
	}
	for _, sv := range list {
		key.WriteString("\x00")
		key.WriteString(sv.ID)
	}
	if v, ok := t.content.contacts.Load(key.String()); ok {
		return v.(string), nil
	}
	lines, err := t.contactLines(list, byMethod)
	if err != nil {
		return "", err
	}
	text := strings.Join(lines, "\n")
	t.content.contacts.Store(key.String(), text)
	return text, nil
}

// contactLines renders one line per service, the issuers together on the
// line where the first of them stands. When byMethod is set and no
// service is given for the way the user paid, a line saying whom to ask
// instead comes first: the police alone do not answer a question about a
// payment.
func (t *Turn) contactLines(list []*Service, byMethod bool) ([]string, error) {
	render := func(id string, data map[string]any) (string, error) {
		s, err := t.content.Catalog.Render(t.Conv.Lang, id, data)
		if err != nil {
			return "", fmt.Errorf("contact: %w", err)
		}
		return s, nil
	}
	var lines []string
	issuersAt := -1
	var issuers strings.Builder
	forMethod := false
	for _, sv := range list {
		forMethod = forMethod || len(sv.For) > 0
		name, err := render(sv.Name, nil)
		if err != nil {
			return nil, err
		}
		if sv.Issuer {
			item, err := render(MsgContactIssuer, map[string]any{"Name": name, "Number": sv.Number, "First": issuersAt < 0})
			if err != nil {
				return nil, err
			}
			if issuersAt < 0 {
				issuersAt = len(lines)
				lines = append(lines, "")
			}
			issuers.WriteString(item)
			continue
		}
		line, err := render(MsgContactLine, map[string]any{"Name": name, "Number": sv.Number})
		if err != nil {
			return nil, err
		}
		lines = append(lines, line)
	}
	if issuersAt >= 0 {
		line, err := render(MsgContactIssuers, map[string]any{"List": issuers.String()})
		if err != nil {
			return nil, err
		}
		lines[issuersAt] = line
	}
	if byMethod && !forMethod {
		none, err := render(MsgContactNone, nil)
		if err != nil {
			return nil, err
		}
		lines = append([]string{none}, lines...)
	}
	return lines, nil
}

// validServiceNumber reports whether n is a phone number as people dial it:
// 3 to 15 digits, groups optionally separated by one hyphen or space
// ("95588", "110", "400-820-8820").
func validServiceNumber(n string) bool {
	digits := 0
	prevDigit := false
	for _, r := range n {
		switch {
		case r >= '0' && r <= '9':
			digits++
			prevDigit = true
		case (r == '-' || r == ' ') && prevDigit:
			prevDigit = false
		default:
			return false
		}
	}
	return prevDigit && digits >= 3 && digits <= 15
}

// validServiceID reports whether id is made of lower-case letters, digits
// and underscores, as step IDs are.
func validServiceID(id string) bool {
	return id != "" && !strings.ContainsFunc(id, func(r rune) bool {
		return !(r == '_' || r < unicode.MaxASCII && (unicode.IsLower(r) || unicode.IsDigit(r)))
	})
}
