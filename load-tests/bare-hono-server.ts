// The ceiling to compare with: a Hono endpoint on the same Node that parses the same JSON and answers 201,
// with no validation, no database and no auth.
import { serve } from '@hono/node-server';
import { Hono } from 'hono';

const app = new Hono();
app.post('/bare', async (c) => {
  const body = (await c.req.json()) as { id?: string };
  return c.json({ id: body.id, status: 'accepted' }, 201);
});
serve({ fetch: app.fetch, hostname: '127.0.0.1', port: Number(process.env.PORT ?? 18090) }, (info) => {
  process.stdout.write(`listening ${info.port}\n`);
});
