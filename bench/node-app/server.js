// The pm2 side of bench/reload.sh: a minimal Node HTTP app answering like the sample's GET /.
const http = require('http');
const port = Number(process.env.PORT || 3000);
const server = http.createServer((req, res) => {
  res.setHeader('Content-Type', 'application/json');
  res.end(JSON.stringify({ worker: process.env.NODE_APP_INSTANCE, pid: process.pid, greeting: 'hello' }));
});
server.listen(port, () => { if (process.send) process.send('ready'); });
process.on('SIGINT', () => server.close(() => process.exit(0)));
