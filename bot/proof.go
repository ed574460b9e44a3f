package bot

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"path"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/slipdesk/slipdesk/bot/mask"
)

// ProofStore keeps the bytes of the files users send as proof of payment.
// It is content-addressed within each owner: a file's ref is derived from
// its owner and its SHA-256, so putting the same bytes twice for one
// owner stores them once and gives the same ref (a redelivered upload
// changes nothing), while deleting one user's file never deletes the same
// bytes another user sent. The default implementation is a local
// directory (adapters/proofdir).
type ProofStore interface {
	// Put reads r to its end, stores the bytes for owner (see
	// ProofOwner) and returns their ref. The caller bounds r's size (see
	// ReadProof).
	Put(ctx context.Context, owner string, r io.Reader) (ref string, err error)
	// Open returns the bytes stored under ref; the caller closes them.
	// A ref never stored gives an error matching ErrProofNotFound.
	Open(ctx context.Context, ref string) (io.ReadCloser, error)
	// Delete removes the bytes stored under ref. Deleting a ref that is
	// not stored is not an error, so that a retried delete succeeds.
	Delete(ctx context.Context, ref string) error
}

// Limits of proof files.
const (
	// DefaultMaxProofSize is the largest proof file taken, 10 MiB: a
	// phone photo or a statement PDF fits, a video does not.
	DefaultMaxProofSize int64 = 10 << 20
	// DefaultMaxProofs is the most files one case takes.
	DefaultMaxProofs = 10
	// MaxProofNameLen is the longest file name kept, in characters.
	MaxProofNameLen = 100
)

// The kinds of proof a checklist asks for; a proof's kind is one of
// ProofKinds.
const (
	ProofBankSMS      = "bank_sms"      // the bank's SMS or a banking app screenshot
	ProofStatement    = "statement"     // a card or account statement
	ProofMobileRecord = "mobile_record" // an Alipay, WeChat Pay or UnionPay bill record
	ProofBankProof    = "bank_proof"    // a payment proof issued by the bank or provider
	ProofOther        = "other"
)

// ProofKinds lists every proof kind, in the order a checklist shows them.
var ProofKinds = []string{ProofBankSMS, ProofStatement, ProofMobileRecord, ProofBankProof, ProofOther}

// Messages a channel says itself when it refuses a file before it reaches
// the engine (see ProofMessage).
const (
	// MsgProofTooLarge says the file is over the size limit; {{.Max}}
	// is the limit, such as "10 MB".
	MsgProofTooLarge = "sys.proof.too_large"
	// MsgProofType says only photos and PDF files are taken.
	MsgProofType = "sys.proof.type"
	// MsgProofMissingFile says the terminal chat found no file at the
	// path given; {{.Name}} is the path as typed.
	MsgProofMissingFile = "sys.proof.missing_file"
	// MsgProofFetchFailed says the channel could not fetch the file for
	// a reason other than its size: send it again.
	MsgProofFetchFailed = "sys.proof.fetch_failed"
)

// Sentinels of ReadProof's errors; the errors also carry code EINVALID.
// They are plain errors, not *Error values, because an *Error matches
// every *Error of its code and these must stay apart.
var (
	ErrProofTooLarge = errors.New("proof file too large")
	ErrProofType     = errors.New("proof file of a type not taken")
	ErrProofEmpty    = errors.New("proof file empty")
)

// ErrProofNotFound is returned by ProofStore.Open for a ref not stored.
var ErrProofNotFound = &Error{Code: ENOTFOUND, Message: "proof not found"}

// proofError is one of ReadProof's errors: a sentinel to tell the cases
// apart and an *Error with code and message.
type proofError struct {
	kind error
	err  *Error
}

func (e *proofError) Error() string   { return e.err.Error() }
func (e *proofError) Unwrap() []error { return []error{e.kind, e.err} }

func newProofError(kind error, format string, args ...any) error {
	return &proofError{kind: kind, err: Errorf(EINVALID, format, args...)}
}

// ProofMessage returns the message ID a channel answers a refused file
// with, and "" for errors that are not about the file (those are
// internal and go to the log).
func ProofMessage(err error) string {
	switch {
	case errors.Is(err, ErrProofTooLarge):
		return MsgProofTooLarge
	case errors.Is(err, ErrProofType), errors.Is(err, ErrProofEmpty):
		return MsgProofType
	}
	return ""
}

// ReadProof reads a proof file of at most maxSize bytes (DefaultMaxProofSize
// when maxSize <= 0) and describes it. It reads no more than maxSize+1
// bytes, so a huge upload costs no more than the limit. The type is sniffed
// from the content, never from name: a PNG named .pdf is a PNG, and a
// script named .jpg is refused. Errors match ErrProofTooLarge,
// ErrProofEmpty or ErrProofType, with code EINVALID; a failing r gives
// its own error. The Attachment has Name, Mime, Size and SHA256 set; the
// channel fills in its references.
func ReadProof(r io.Reader, name string, maxSize int64) (Attachment, []byte, error) {
	if maxSize <= 0 {
		maxSize = DefaultMaxProofSize
	}
	buf, err := io.ReadAll(io.LimitReader(r, maxSize+1))
	if err != nil {
		return Attachment{}, nil, fmt.Errorf("read proof file: %w", err)
	}
	switch {
	case int64(len(buf)) > maxSize:
		return Attachment{}, nil, newProofError(ErrProofTooLarge, "proof file is over the %s limit", FormatSize(maxSize))
	case len(buf) == 0:
		return Attachment{}, nil, newProofError(ErrProofEmpty, "proof file is empty")
	}
	mime := SniffProof(buf)
	if mime == "" {
		return Attachment{}, nil, newProofError(ErrProofType, "proof file is not a JPEG, PNG, GIF, WebP or HEIC image or a PDF")
	}
	sum := sha256.Sum256(buf)
	return Attachment{
		Name:   CleanProofName(name),
		Mime:   mime,
		Size:   int64(len(buf)),
		SHA256: hex.EncodeToString(sum[:]),
	}, buf, nil
}

// ProofMimes lists the types SniffProof recognises.
var ProofMimes = []string{"image/jpeg", "image/png", "image/gif", "image/webp", "image/heic", "image/heif", "application/pdf"}

// SniffProof returns the type of a proof file from its first bytes, or ""
// when it is none of ProofMimes. It looks at magic numbers only: the
// bot package keeps net/http out, and a proof needs only these types.
func SniffProof(b []byte) string {
	switch {
	case bytes.HasPrefix(b, []byte{0xFF, 0xD8, 0xFF}):
		return "image/jpeg"
	case bytes.HasPrefix(b, []byte("\x89PNG\r\n\x1a\n")):
		return "image/png"
	case bytes.HasPrefix(b, []byte("GIF87a")), bytes.HasPrefix(b, []byte("GIF89a")):
		return "image/gif"
	case len(b) >= 16 && string(b[:4]) == "RIFF" && string(b[8:15]) == "WEBPVP8":
		// The first chunk is VP8 (lossy), VP8L (lossless) or VP8X.
		return "image/webp"
	case bytes.HasPrefix(b, []byte("%PDF-")):
		return "application/pdf"
	}
	return sniffHEIF(b)
}

// sniffHEIF recognises HEIC and HEIF images, which start with an ISO
// media "ftyp" box whose major brand names the format.
func sniffHEIF(b []byte) string {
	if len(b) < 16 || string(b[4:8]) != "ftyp" {
		return ""
	}
	// The box holds its size, "ftyp", the major brand, a minor version
	// and whole compatible brands: 16 bytes and more, a multiple of 4.
	size := int(b[0])<<24 | int(b[1])<<16 | int(b[2])<<8 | int(b[3])
	if size < 16 || size%4 != 0 {
		return ""
	}
	switch string(b[8:12]) {
	case "heic", "heix":
		return "image/heic"
	case "mif1", "msf1":
		return "image/heif"
	}
	return ""
}

// CleanProofName makes a file name fit to keep and show: the base name
// only (of a Unix or Windows path), without control or bidirectional
// formatting characters, card numbers masked, at most MaxProofNameLen
// characters with the extension kept. It returns "" when nothing is left.
func CleanProofName(name string) string {
	name = strings.ToValidUTF8(name, "\uFFFD")
	if i := strings.LastIndexAny(name, `/\`); i >= 0 {
		name = name[i+1:]
	}
	// Format characters include the right-to-left override that makes
	// "gpj.exe" look like "exe.jpg".
	name = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || unicode.Is(unicode.Cf, r) {
			return -1
		}
		return r
	}, name)
	name = strings.TrimSpace(name)
	if name == "." || name == ".." {
		return ""
	}
	name, _ = mask.Sensitive(name)
	if utf8.RuneCountInString(name) <= MaxProofNameLen {
		return name
	}
	ext := path.Ext(name)
	if n := utf8.RuneCountInString(ext); n == 0 || n > 10 {
		ext = ""
	}
	stem := []rune(strings.TrimSuffix(name, ext))
	return string(stem[:MaxProofNameLen-utf8.RuneCountInString(ext)]) + ext
}

// FormatSize writes a byte count for people: "10 MB", "512 KB", "1.5 MB"
// (binary units, which is what phones and file managers mostly show).
func FormatSize(n int64) string {
	const k = 1024
	switch {
	case n >= k*k*k:
		return trimZero(float64(n)/(k*k*k)) + " GB"
	case n >= k*k:
		return trimZero(float64(n)/(k*k)) + " MB"
	case n >= k:
		return trimZero(float64(n)/k) + " KB"
	}
	return fmt.Sprintf("%d B", n)
}

// trimZero formats f with one decimal, dropping ".0".
func trimZero(f float64) string {
	return strings.TrimSuffix(fmt.Sprintf("%.1f", f), ".0")
}

// ProofOwner names the conversation of key as the owner of its proof
// files, without naming its user: lower-case hex.
func ProofOwner(key Key) string { return KeyDigest(key) }
