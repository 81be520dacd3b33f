// A bare telegraf bot as its own process (for bench/relay-processes.ts): webhook on a free port,
// one sendMessage per update to the first agent chat. Prints its webhook URL, then serves.
import express from 'express';
import { Telegraf } from 'telegraf';

const [apiRoot, token, secret, chat] = process.argv.slice(2) as [string, string, string, string];
const bot = new Telegraf(token, { telegram: { apiRoot: `${apiRoot}/`, webhookReply: false } });
bot.botInfo = await bot.telegram.getMe();
bot.on('message', async (ctx) => {
  const text = 'text' in ctx.message ? ctx.message.text : '';
  await ctx.telegram.sendMessage(chat, `relay ${text}`);
});
bot.catch(() => {});
const app = express();
app.post('/telegram/webhook', bot.webhookCallback('/telegram/webhook', { secretToken: secret }));
const server = app.listen(0, '127.0.0.1', () => {
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  console.log(`http://127.0.0.1:${port}/telegram/webhook`);
});
