package main

import (
	"io"
	"net"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// getFrom asks for /healthz from the local address from (127.0.0.x), and
// returns the status, or an error when the connection was refused or closed.
func getFrom(m *Main, from string) (int, error) {
	client := &http.Client{Timeout: 5 * time.Second, Transport: &http.Transport{
		DialContext:       (&net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(from)}}).DialContext,
		DisableKeepAlives: true,
	}}
	res, err := client.Get("http://" + m.Addr() + "/healthz")
	if err != nil {
		return 0, err
	}
	defer res.Body.Close()
	_, _ = io.Copy(io.Discard, res.Body)
	return res.StatusCode, nil
}

func TestIdleConnectionsOfOneClientDoNotStarveOthers(t *testing.T) {
	m := startMainWith(t, t.TempDir(), newTestClock(saturday), "-max-client-connections", "3")
	defer m.Close()

	var idle []net.Conn
	for range 3 { // a client that opens connections and sends nothing
		c, err := net.Dial("tcp", m.Addr())
		require.NoError(t, err)
		idle = append(idle, c)
	}
	defer func() {
		for _, c := range idle {
			c.Close()
		}
	}()
	extra, err := net.Dial("tcp", m.Addr())
	require.NoError(t, err)
	defer extra.Close()
	require.NoError(t, extra.SetReadDeadline(time.Now().Add(5*time.Second)))
	_, err = extra.Read(make([]byte, 1))
	assert.ErrorIs(t, err, io.EOF, "a fourth connection from the same address is closed at once")

	status, err := getFrom(m, "127.0.0.2")
	require.NoError(t, err, "another client is served")
	assert.Equal(t, http.StatusOK, status)
	_, err = getFrom(m, "127.0.0.1")
	assert.Error(t, err, "the flooding address is not")

	require.NoError(t, idle[0].Close())
	require.Eventually(t, func() bool {
		status, err := getFrom(m, "127.0.0.1")
		return err == nil && status == http.StatusOK
	}, 5*time.Second, 20*time.Millisecond, "a slot given back serves that client again")
}

// An IPv6 client counts per /64, the block a host draws addresses from;
// an IPv4 client (also written as an IPv4-mapped IPv6 address) per address.
func TestClientKey(t *testing.T) {
	for addr, want := range map[string]string{
		"192.0.2.7:51234":                   "192.0.2.7",
		"[::ffff:192.0.2.7]:51234":          "192.0.2.7",
		"[2001:db8:1:2:aaaa::1]:443":        "2001:db8:1:2::/64",
		"[2001:db8:1:2:ffff:ffff::9]:40000": "2001:db8:1:2::/64",
		"[2001:db8:1:3::1]:443":             "2001:db8:1:3::/64",
		"not an address":                    "not an address",
	} {
		assert.Equal(t, want, clientKey(addr), addr)
	}
}
