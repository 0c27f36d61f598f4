import Fastify from 'fastify';

// The trivial handler behind the baseline gateway: a constant answer, no database, no events.
const port = Number(process.argv[2] ?? 0);
const app = Fastify();
const order = { id: 1, orderStatus: 'Ordered', productName: 'TV', qty: 1 };
app.get('/health/ready', async () => ({ status: 'UP' }));
app.get('/orders/:id', async () => order);
await app.listen({ port, host: '127.0.0.1' });
process.once('SIGTERM', () => void app.close().then(() => process.exit(0)));
