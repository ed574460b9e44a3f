// Package telegramtest is a fake Telegram Bot API server for tests. It
// speaks the real wire format, so the production client runs against it
// unchanged: POST {URL}/bot<token>/<method> with a multipart/form-data,
// application/json or application/x-www-form-urlencoded body (or GET with
// a query string), answered by {"ok":true,"result":...} or by
// {"ok":false,"error_code":N,"description":"..."} with the same HTTP
// status. Nested objects such as reply_markup travel as one field holding
// JSON text, as Telegram expects.
//
// The fake serves getMe, getUpdates, sendMessage, sendPhoto and
// sendDocument (it keeps an uploaded file's name, not its bytes),
// editMessageReplyMarkup, answerCallbackQuery, getFile, setWebhook,
// deleteWebhook and getWebhookInfo, and the file download route
// GET {URL}/file/bot<token>/<file_path>. Method names match case-insensitively,
// as on Telegram. Any other method answers 404, so a client that starts
// using a new method fails loudly until the fake learns it.
//
// It checks what Telegram checks where a help desk can get it wrong: empty
// or over-long message text, callback data over 64 bytes, inline buttons
// without an action, edits that change nothing, a callback query answered
// twice, getUpdates while a webhook is set or while another getUpdates is
// waiting. The descriptions of those errors are Telegram's own.
//
// A test queues updates with Push, reads what the bot did with Sent,
// WaitSent, EditedMarkups, CallbackAnswers and Calls, and injects failures
// such as 429 Too Many Requests with Fail. TextUpdate, ButtonUpdate and
// the other builders make the updates a user causes; in a private chat the
// chat ID is the user's ID, and lang is the user's language_code ("" for
// none). Their message and callback query IDs are unique within the test
// binary. Press taps a button the bot really sent.
package telegramtest
