// A CoAP-over-WebSockets peer built on the npm package "ws" (a WebSocket
// implementation none of us wrote), for tests/interop/cases/ws_node.sh.
// The CoAP messages (RFC 8323 section 4.2: no Len field) are built and
// checked byte by byte here.
//
//   node ws_peer.js client URL [--plain] [--no-ping] [--whole]
//       Upgrades to URL with the "coap" subprotocol (offering
//       permessage-deflate unless --plain), sends a CSM, a WebSocket ping
//       (unless --no-ping), GET / and a GET of /.well-known/core split into
//       two fragments (one frame with --whole), checks the answers, and
//       closes with 1000.
//   node ws_peer.js server PORT
//       Accepts one upgrade for /.well-known/coap with the "coap"
//       subprotocol, sends a CSM, answers Ping with Pong and any GET with
//       2.05 "hello from node ws" (same token), pings the client, and
//       reports the client's close code.
// Each step prints a line; the exit code says whether all went as expected.
'use strict';

const WebSocket = require('ws');

function fail(why) {
  console.log('FAIL: ' + why);
  process.exit(1);
}

function hex(buf) {
  return Buffer.from(buf).toString('hex');
}

// A CoAP message in the WebSocket format: byte 0 is the token length only.
function message(code, token, options, payload) {
  const parts = [Buffer.from([token.length, code]), Buffer.from(token)];
  let last = 0;
  for (const [number, value] of options) {
    const delta = number - last;
    if (delta > 12 || value.length > 12) fail('option too large for this helper');
    parts.push(Buffer.from([(delta << 4) | value.length]), Buffer.from(value));
    last = number;
  }
  if (payload && payload.length) parts.push(Buffer.from([0xff]), Buffer.from(payload));
  return Buffer.concat(parts);
}

// Splits a received message into code, token, options (delta-decoded,
// extended forms included) and payload.
function parse(buf) {
  if (buf.length < 2) fail('message of ' + buf.length + ' bytes');
  if (buf[0] >> 4 !== 0) fail('a Len nibble in a WebSocket message: ' + hex(buf));
  const tkl = buf[0] & 0x0f;
  const token = buf.subarray(2, 2 + tkl);
  let pos = 2 + tkl;
  let number = 0;
  const options = [];
  while (pos < buf.length && buf[pos] !== 0xff) {
    let delta = buf[pos] >> 4;
    let len = buf[pos] & 0x0f;
    pos++;
    if (delta === 13) delta = 13 + buf[pos++];
    else if (delta === 14) { delta = 269 + buf.readUInt16BE(pos); pos += 2; }
    if (len === 13) len = 13 + buf[pos++];
    else if (len === 14) { len = 269 + buf.readUInt16BE(pos); pos += 2; }
    number += delta;
    options.push([number, buf.subarray(pos, pos + len)]);
    pos += len;
  }
  const payload = pos < buf.length ? buf.subarray(pos + 1) : Buffer.alloc(0);
  return { code: buf[1], token, options, payload };
}

const CSM = 0xe1, PING = 0xe2, PONG = 0xe3, GET = 0x01, CONTENT = 0x45, URI_PATH = 11;

function client(url, args) {
  const plain = args.includes('--plain');
  const ping = !args.includes('--no-ping');
  const fragments = !args.includes('--whole');
  const ws = new WebSocket(url, 'coap', { perMessageDeflate: !plain });
  const timer = setTimeout(() => fail('timeout'), 10000);
  const got = [];
  let step = 'csm';
  ws.on('unexpected-response', (req, res) => fail('upgrade refused: HTTP ' + res.statusCode));
  ws.on('error', (e) => fail('error: ' + e.message));
  ws.on('open', () => {
    if (ws.protocol !== 'coap') fail('subprotocol "' + ws.protocol + '"');
    console.log('upgraded: subprotocol ' + ws.protocol + ', extensions "' + ws.extensions + '"');
    // CSM: Max-Message-Size 1152, Block-Wise-Transfer.
    ws.send(message(CSM, [], [[2, [0x04, 0x80]], [4, []]]));
  });
  ws.on('pong', (data) => {
    if (data.toString() !== 'probe') fail('pong with "' + data + '"');
    console.log('pong: ' + data);
    next();
  });
  ws.on('message', (data, isBinary) => {
    if (!isBinary) fail('a text frame');
    const m = parse(Buffer.from(data));
    got.push(m);
    if (step === 'csm') {
      if (m.code !== CSM) fail('first message is not a CSM: ' + hex(data));
      console.log('csm: ' + hex(data));
      step = ping ? 'ping' : 'get';
      if (ping) ws.ping('probe');
      else next();
    } else if (step === 'get') {
      if (m.code !== CONTENT || hex(m.token) !== '4a53') fail('answer to GET /: ' + hex(data));
      if (!m.payload.toString().startsWith('This is a test server')) fail('payload ' + m.payload);
      console.log('GET /: 2.05, token ' + hex(m.token) + ', ' + m.payload.length + ' bytes');
      step = 'core';
      // GET /.well-known/core in two fragments (a continuation frame).
      const req = message(GET, [0x77], [[URI_PATH, Buffer.from('.well-known')],
                                        [URI_PATH, Buffer.from('core')]]);
      if (fragments) {
        ws.send(req.subarray(0, 5), { fin: false });
        ws.send(req.subarray(5), { fin: true });
      } else {
        ws.send(req);
      }
    } else if (step === 'core') {
      if (m.code !== CONTENT || hex(m.token) !== '77') fail('answer to the fragments: ' + hex(data));
      const ct = m.options.find(([n]) => n === 12);
      if (!ct || ct[1].length !== 1 || ct[1][0] !== 40) fail('not link-format');
      console.log('GET /.well-known/core' + (fragments ? ' in 2 fragments' : '') +
                  ': 2.05 link-format, ' + m.payload.length + ' bytes');
      step = 'close';
      ws.close(1000, 'done');
    } else if (m.code !== PONG) {
      fail('unexpected message ' + hex(data));
    }
  });
  function next() {
    step = 'get';
    ws.send(message(GET, [0x4a, 0x53], [], []));
  }
  ws.on('close', (code) => {
    clearTimeout(timer);
    if (step !== 'close') fail('closed (' + code + ') during step ' + step);
    console.log('closed: ' + code);
    process.exit(code === 1000 ? 0 : 1);
  });
}

function server(port) {
  const wss = new WebSocket.Server({
    host: '127.0.0.1',
    port,
    perMessageDeflate: false,
    handleProtocols: (protocols) => (protocols.has('coap') ? 'coap' : false),
  });
  const timer = setTimeout(() => fail('timeout'), 20000);
  wss.on('listening', () => console.log('listening'));
  wss.on('connection', (ws, req) => {
    console.log('upgrade: ' + req.method + ' ' + req.url + ', host ' + req.headers.host +
                ', subprotocol ' + ws.protocol + ', version ' +
                req.headers['sec-websocket-version']);
    if (req.url !== '/.well-known/coap') fail('request for ' + req.url);
    ws.send(message(CSM, [], [[4, []]]));
    ws.on('pong', (data) => console.log('pong: ' + data));
    ws.on('message', (data, isBinary) => {
      if (!isBinary) fail('a text frame');
      const m = parse(Buffer.from(data));
      if (m.code === CSM) {
        console.log('csm: ' + hex(data));
        ws.ping('from node');
      } else if (m.code === PING) {
        ws.send(message(PONG, m.token, [], []));
      } else if (m.code === GET) {
        const path = m.options.filter(([n]) => n === URI_PATH).map(([, v]) => v.toString());
        console.log('GET /' + path.join('/') + ', token ' + hex(m.token));
        ws.send(message(CONTENT, m.token, [[12, []]], Buffer.from('hello from node ws')));
      } else {
        console.log('message ' + hex(data));
      }
    });
    ws.on('close', (code) => {
      clearTimeout(timer);
      console.log('closed: ' + code);
      wss.close();
      process.exit(0);
    });
  });
}

const [mode, where, ...rest] = process.argv.slice(2);
if (mode === 'client') client(where, rest);
else if (mode === 'server') server(Number(where));
else fail('usage: ws_peer.js client URL | server PORT');
