// A Botkit 4.15 bot on the web adapter, in its webhook mode, with Botkit's
// in-memory storage, running a 9-question intake: the bot slipdesk is
// compared with (see scripts/compare).
//
//   node bot.js PORT
//
// A client posts {"type": "message", "user": ID, "text": ...} to
// http://127.0.0.1:PORT/api/messages and gets the bot's replies in the
// response body, as a JSON array. A user's first message begins the intake
// (a greeting and the first question); each later message answers the
// question asked and gets the next one. The dialog state lives in Botkit's
// MemoryStorage, the default when no storage is configured.
'use strict';

const { Botkit, BotkitConversation } = require('botkit');
const { WebAdapter } = require('botbuilder-adapter-web');

const port = Number(process.argv[2]);
if (!Number.isInteger(port) || port <= 0 || port > 65535) {
  console.error('usage: node bot.js PORT');
  process.exit(2);
}
// Botkit's web server listens on PORT.
process.env.PORT = String(port);

// No socket server: messages come by webhook, and replies go back in the
// HTTP response.
const adapter = new WebAdapter({});
const controller = new Botkit({ adapter, webhook_uri: '/api/messages', disable_console: true });

// The intake asks what the slipdesk consumer journey asks, in the same
// order: each answer is kept in the dialog's variables.
const questions = [
  ['consent', 'I can help with a lost payment slip. I keep your answers for 30 days. Is that OK? (1 yes, 2 no)'],
  ['role', 'Are you the customer or the shop? (1 customer, 2 shop)'],
  ['lost', 'What was lost? (1 the card slip, 2 the receipt, 3 both)'],
  ['when', 'When did you pay? (for example: yesterday 3pm)'],
  ['shop', 'Which shop was it?'],
  ['problem', 'Is it only lost, or is something wrong with the payment? (1 only lost, 2 charged twice, 3 wrong amount)'],
  ['amount', 'How much did you pay?'],
  ['paid_by', 'How did you pay? (1 bank card, 2 WeChat, 3 Alipay)'],
  ['last4', 'What are the last four digits of the card? (or "skip")'],
];

const intake = new BotkitConversation('intake', controller);
intake.say('Hello! Let us sort out your lost slip.');
for (const [name, text] of questions) {
  intake.ask(text, async () => {}, { key: name });
}
intake.say('Thanks. You paid {{vars.amount}} at {{vars.shop}} {{vars.when}}; we will tell you what to do next.');
controller.addDialog(intake);

controller.on('message', async (bot) => {
  await bot.beginDialog('intake');
});

controller.ready(() => {
  console.log(`botkit ${controller.version} listening on ${port}`);
});
