// The small service every real server runs: HTTP on each TCP port (any GET/HEAD answers 200
// with the host's name) and a UDP echo on each UDP port (`NAME DATA`). Python 3 from Debian,
// run by the host's own Python (real servers) or, through hostfs, by a UML director.
// UDP replies are sent from the address the request was sent to (IP_PKTINFO), so a reply to
// a request for the VIP comes from the VIP, as Direct Routing needs.
export const RESPONDER_PY = String.raw`
import socket, struct, sys, threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

name = sys.argv[1]
tcp_ports = [int(p) for p in sys.argv[2].split(',') if p]
udp_ports = [int(p) for p in sys.argv[3].split(',') if p]
# '6': the host is dual stack, HTTP answers on IPv6 too.
dual_stack = len(sys.argv) > 4 and sys.argv[4] == '6'
body = (name + '\n').encode()

class Handler(BaseHTTPRequestHandler):
    protocol_version = 'HTTP/1.0'
    server_version = 'lvsdr-lab'
    sys_version = ''
    def _head(self):
        self.send_response(200)
        self.send_header('Content-Type', 'text/plain')
        self.send_header('Content-Length', str(len(body)))
        self.send_header('X-Lab-Host', name)
        self.end_headers()
    def do_GET(self):
        self._head()
        self.wfile.write(body)
    def do_HEAD(self):
        self._head()
    def log_message(self, fmt, *args):
        pass

class Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

class Server6(Server):
    # One socket for both families (IPv4 as mapped addresses): dual-stack clusters.
    address_family = socket.AF_INET6
    def server_bind(self):
        self.socket.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
        super().server_bind()

def tcp_server(port):
    if dual_stack:
        try:
            return Server6(('::', port), Handler)
        except OSError:
            pass
    return Server(('0.0.0.0', port), Handler)

IP_PKTINFO = getattr(socket, 'IP_PKTINFO', 8)

def udp_echo(port):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.setsockopt(socket.SOL_IP, IP_PKTINFO, 1)
    s.bind(('0.0.0.0', port))
    while True:
        data, anc, _flags, peer = s.recvmsg(65535, socket.CMSG_SPACE(12))
        info = []
        for level, kind, raw in anc:
            if level == socket.SOL_IP and kind == IP_PKTINFO:
                _ifindex, _spec, dst = struct.unpack('=I4s4s', raw[:12])
                info = [(socket.SOL_IP, IP_PKTINFO, struct.pack('=I4s4s', 0, dst, b'\0\0\0\0'))]
        s.sendmsg([name.encode() + b' ' + data], info, 0, peer)

threads = []
for port in tcp_ports:
    srv = tcp_server(port)
    threads.append(threading.Thread(target=srv.serve_forever, daemon=True))
for port in udp_ports:
    threads.append(threading.Thread(target=udp_echo, args=(port,), daemon=True))
for t in threads:
    t.start()
print('lvsdr-lab responder %s: tcp %s udp %s' % (name, tcp_ports, udp_ports), flush=True)
threading.Event().wait()
`;
