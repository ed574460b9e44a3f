package mask_test

import (
	"testing"

	"github.com/slipdesk/slipdesk/bot/mask"
)

func TestMerchantNumber(t *testing.T) {
	tests := []struct {
		in   string
		want bool
	}{
		{"898110012345676", true},  // passes the Luhn check, still a merchant number
		{"898110012345678", true},  // fails it
		{"378282246310005", false}, // an American Express card
		{"37828224631000", false},  // 14 digits
		{"4111111111111111", false},
		{"89811001234567a", false},
	}
	for _, tt := range tests {
		if got := mask.MerchantNumber(tt.in); got != tt.want {
			t.Errorf("MerchantNumber(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
	if !mask.IsCardNumber("4111111111111111") || mask.IsCardNumber("4111111111111112") {
		t.Error("IsCardNumber: the Luhn check is not applied")
	}
}
