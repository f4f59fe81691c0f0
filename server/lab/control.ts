// The control channel of UML directors. sshd inside UML is slow to accept (seconds of
// crypto), so `lab exec` on a director talks to a tiny command server started by the
// director's init instead: Python, listening on the director's lab address only, one shared
// secret per lab (a file under the state dir, mode 0600). The client side runs inside the
// lab's client namespace (the only place that reaches the lab bridge).
//
// Protocol: the client sends one JSON line {token, argv, stdin}, then (if stdin) the stdin
// bytes, then shuts down its write side. The server answers with frames: one type byte
// (o = stdout, e = stderr, x = exit status in ASCII), a 4-byte big-endian length, the bytes.
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { collectOutput, ExecResult } from './collect';
import { binary } from './run';

export const CONTROL_PORT = 7391;

export const CONTROL_SERVER_PY = String.raw`
import json, os, signal, socket, struct, subprocess, sys, threading

addr, port, token_file = sys.argv[1], int(sys.argv[2]), sys.argv[3]
with open(token_file) as f:
    token = f.read().strip()
ENV = {'PATH': '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', 'HOME': '/root', 'LANG': 'C.UTF-8', 'TERM': 'dumb'}

def handle(conn):
    lock = threading.Lock()
    def send(kind, data):
        with lock:
            conn.sendall(kind + struct.pack('>I', len(data)) + data)
    try:
        rfile = conn.makefile('rb')
        hdr = json.loads(rfile.readline(1 << 20) or b'{}')
        if hdr.get('token') != token or not isinstance(hdr.get('argv'), list) or not hdr['argv']:
            return
        want_stdin = bool(hdr.get('stdin'))
        try:
            proc = subprocess.Popen([str(a) for a in hdr['argv']], stdin=subprocess.PIPE if want_stdin else subprocess.DEVNULL,
                                    stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd='/', env=ENV, start_new_session=True)
        except OSError as e:
            send(b'e', ('lab exec: %s: %s\n' % (hdr['argv'][0], e.strerror)).encode())
            send(b'x', b'127')
            return
        def feed():
            try:
                while True:
                    chunk = rfile.read1(65536)
                    if not chunk:
                        break
                    proc.stdin.write(chunk)
                    proc.stdin.flush()
            except Exception:
                pass
            finally:
                try:
                    proc.stdin.close()
                except Exception:
                    pass
        # The client went away (its reader closed the pipe, as 'lab exec ... | head' does):
        # the command gets SIGPIPE, as a writer to a closed pipe does, instead of blocking on
        # a full pipe that nobody reads any more.
        def pump(src, kind):
            while True:
                chunk = os.read(src.fileno(), 65536)
                if not chunk:
                    break
                try:
                    send(kind, chunk)
                except OSError:
                    try:
                        os.killpg(proc.pid, signal.SIGPIPE)
                    except OSError:
                        pass
                    while os.read(src.fileno(), 65536):
                        pass
                    break
        if want_stdin:
            threading.Thread(target=feed, daemon=True).start()
        pumps = [threading.Thread(target=pump, args=(proc.stdout, b'o')), threading.Thread(target=pump, args=(proc.stderr, b'e'))]
        for t in pumps:
            t.start()
        for t in pumps:
            t.join()
        rc = proc.wait()
        send(b'x', str(rc if rc >= 0 else 128 - rc).encode())
    except Exception as e:
        try:
            send(b'e', ('lab exec: control server error: %s\n' % e).encode())
            send(b'x', b'255')
        except Exception:
            pass
    finally:
        try:
            conn.shutdown(socket.SHUT_RDWR)
        except Exception:
            pass
        conn.close()

srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
srv.setsockopt(socket.IPPROTO_IP, getattr(socket, 'IP_FREEBIND', 15), 1)
srv.bind((addr, port))
srv.listen(32)
print('lvsdr-lab control channel on %s:%d' % (addr, port), flush=True)
while True:
    c, _ = srv.accept()
    threading.Thread(target=handle, args=(c,), daemon=True).start()
`;

/** Node script (run with `node -e` inside the client namespace): the client side of the channel. */
export const CONTROL_CLIENT_JS = String.raw`
const net = require('net'), fs = require('fs');
const [addr, port, tokenFile, argvJson, stdinMode, timeoutText] = process.argv.slice(1);
const token = fs.readFileSync(tokenFile, 'utf8').trim();
const wantStdin = stdinMode === '1';
const connectTimeout = Number(timeoutText) || 10000;
let buf = Buffer.alloc(0), done = false;
const sock = net.connect({ host: addr, port: Number(port), allowHalfOpen: true });
// The reader of our output went away ('lab exec ... | head'): stop quietly with the status of a
// process killed by SIGPIPE (128 + 13); closing the connection tells the director's side to stop.
process.stdout.on('error', (e) => { done = true; sock.destroy(); process.exit(e.code === 'EPIPE' ? 141 : 255); });
const timer = setTimeout(() => { process.stderr.write('lab exec: no answer from the control channel at ' + addr + ':' + port + '\n'); process.exit(255); }, connectTimeout);
sock.on('connect', () => {
  clearTimeout(timer);
  sock.write(JSON.stringify({ token, argv: JSON.parse(argvJson), stdin: wantStdin }) + '\n');
  if (wantStdin) { process.stdin.on('data', (d) => sock.write(d)); process.stdin.on('end', () => sock.end()); process.stdin.on('error', () => sock.end()); }
  else sock.end();
});
sock.on('data', (d) => {
  buf = Buffer.concat([buf, d]);
  while (buf.length >= 5) {
    const kind = String.fromCharCode(buf[0]), len = buf.readUInt32BE(1);
    if (buf.length < 5 + len) break;
    const payload = buf.subarray(5, 5 + len);
    buf = buf.subarray(5 + len);
    if (kind === 'o') process.stdout.write(payload);
    else if (kind === 'e') process.stderr.write(payload);
    else if (kind === 'x') { done = true; const code = Number(payload.toString()) || 0; sock.destroy(); process.stdout.write('', () => process.exit(code)); }
  }
});
sock.on('error', (e) => { if (!done) { clearTimeout(timer); process.stderr.write('lab exec: control channel ' + addr + ':' + port + ': ' + e.message + '\n'); process.exit(255); } });
sock.on('close', () => { if (!done) { process.stderr.write('lab exec: control channel closed without an exit status\n'); process.exit(255); } });
`;

export function writeControlToken(path: string): void {
  writeFileSync(path, randomBytes(24).toString('hex') + '\n', { mode: 0o600 });
}

/** argv (for execFile) of the client side: runs `argv` on the director at `address`. */
export function controlClientArgv(clientNs: string, address: string, port: number, tokenFile: string, argv: string[], stdin: boolean, connectTimeoutMs = 10_000): { file: string; args: string[] } {
  return {
    file: binary('ip'),
    args: ['netns', 'exec', clientNs, process.execPath, '-e', CONTROL_CLIENT_JS, address, String(port), tokenFile, JSON.stringify(argv), stdin ? '1' : '0', String(connectTimeoutMs)],
  };
}

/** Runs the client side and collects the output. */
export function controlExec(clientNs: string, address: string, port: number, tokenFile: string, argv: string[], input?: string | Buffer, timeoutMs = 120_000): Promise<ExecResult> {
  const { file, args } = controlClientArgv(clientNs, address, port, tokenFile, argv, input !== undefined);
  return collectOutput(file, args, input, timeoutMs);
}
