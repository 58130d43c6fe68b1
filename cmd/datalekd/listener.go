package main

import (
	"net"
	"net/netip"
	"sync"

	"golang.org/x/net/netutil"
)

// limitConnections bounds the open connections of l: in all (perAll; a
// connection beyond it waits to be accepted) and from one client address
// (perClient, 0 for no bound; a connection beyond it is closed at once), so
// that one client holding thousands of idle connections cannot keep honest
// ones from being served. Behind a proxy every connection comes from the
// proxy's address: set perClient to 0 there.
func limitConnections(l net.Listener, perAll, perClient int) net.Listener {
	l = netutil.LimitListener(l, perAll)
	if perClient <= 0 {
		return l
	}
	return &clientLimitListener{Listener: l, perClient: perClient, open: map[string]int{}}
}

type clientLimitListener struct {
	net.Listener
	perClient int
	mu        sync.Mutex
	open      map[string]int // open connections by client address
}

func (l *clientLimitListener) Accept() (net.Conn, error) {
	for {
		c, err := l.Listener.Accept()
		if err != nil {
			return nil, err
		}
		host := clientKey(c.RemoteAddr().String())
		l.mu.Lock()
		full := l.open[host] >= l.perClient
		if !full {
			l.open[host]++
		}
		l.mu.Unlock()
		if full {
			c.Close()
			continue
		}
		return &clientConn{Conn: c, release: func() { l.release(host) }}, nil
	}
}

func (l *clientLimitListener) release(host string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.open[host]--; l.open[host] <= 0 {
		delete(l.open, host)
	}
}

// clientKey is the client a connection from addr counts for: its IPv4
// address, or the /64 of its IPv6 address, since one IPv6 host usually has
// a whole /64 to draw addresses from (a client counted per address would
// have billions of them).
func clientKey(addr string) string {
	ap, err := netip.ParseAddrPort(addr)
	if err != nil {
		return addr
	}
	ip := ap.Addr().Unmap()
	if ip.Is6() {
		return netip.PrefixFrom(ip, 64).Masked().String()
	}
	return ip.String()
}

// clientConn gives its slot back once, however often it is closed.
type clientConn struct {
	net.Conn
	once    sync.Once
	release func()
}

func (c *clientConn) Close() error {
	err := c.Conn.Close()
	c.once.Do(c.release)
	return err
}
