// Package understand reads what people type: the slot types that turn an
// answer into a value (dates, amounts, card digits, yes or no, numbers,
// free text) and the folding that lets answers be compared whatever their
// width, case and punctuation. It knows nothing of conversations: the
// engine calls it through its own small interfaces.
package understand
