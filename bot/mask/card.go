package mask

// IsCardNumber reports whether digits, ASCII digits only, are a card
// number as Sensitive judges one: 13 to 19 digits passing the Luhn check.
func IsCardNumber(digits string) bool {
	if len(digits) < 13 || len(digits) > 19 {
		return false
	}
	ds := make([]byte, len(digits))
	for i := range len(digits) {
		c := digits[i]
		if c < '0' || c > '9' {
			return false
		}
		ds[i] = c - '0'
	}
	return luhn(ds)
}

// MerchantNumber reports whether digits look like a shop's 15-digit
// merchant number (商户编号) rather than a card: 15 digits that are not
// an American Express card (34 or 37 and the Luhn check). Such a number
// is kept at a merchant-number question, where Sensitive would mask one
// that happens to pass the Luhn check.
func MerchantNumber(digits string) bool {
	if len(digits) != 15 {
		return false
	}
	for i := range len(digits) {
		if digits[i] < '0' || digits[i] > '9' {
			return false
		}
	}
	amex := digits[:2] == "34" || digits[:2] == "37"
	return !(amex && IsCardNumber(digits))
}
