package api_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"datalek/breach"
)

// Issue 8, number 16: /readyz shows the mail counters to an authenticated
// admin only; anyone else learns whether the service is ready, and a generic
// problem when not.
func TestReadinessShowsMailOnlyToAdmin(t *testing.T) {
	ta := newTestAPI(t)
	anonymous := ta.do("GET", "/readyz", "", nil)
	require.Equal(t, http.StatusOK, anonymous.Status)
	assert.Equal(t, map[string]any{"ready": true}, anonymous.JSON(t))
	supplier := ta.do("GET", "/readyz", ta.token("supplier", "Acme BV", "acme"), nil)
	assert.Equal(t, map[string]any{"ready": true}, supplier.JSON(t), "a supplier is no operator")

	admin := ta.do("GET", "/readyz", adminSecret, nil)
	require.Equal(t, http.StatusOK, admin.Status)
	body := admin.JSON(t)
	assert.Equal(t, true, body["ready"])
	assert.Equal(t, "ok", body["store"])
	assert.Contains(t, body, "mail")
}

// deadMailboxMail files a breach and sets its new-report mail aside as dead,
// as the code before issue 8 did when a relay refused the privacy mailbox.
func deadMailboxMail(t *testing.T, ta *testAPI) uint64 {
	t.Helper()
	res := ta.do("POST", "/api/v1/breaches", ta.token("supplier", "Acme BV", "acme"), exampleReport(ta.Now))
	require.Equal(t, http.StatusCreated, res.Status, "%s", res.Body)
	id := res.JSON(t)["id"].(string)
	due, err := ta.DB.DueMail(context.Background(), ta.Now, 10)
	require.NoError(t, err)
	for _, m := range due {
		if m.Notice.ID == id+".1."+string(breach.NoticeFiled) {
			require.NoError(t, ta.DB.MarkDead(context.Background(), m.Seq, ta.Now, "554 5.7.1 Relay access denied", nil))
			return m.Seq
		}
	}
	t.Fatal("no new-report mail queued")
	return 0
}

// Issue 8, number 1: mail for the privacy mailbox that was set aside as dead
// makes the service not ready, and an operator can send it again.
func TestDeadMailboxMailIsNotReadyAndCanBeResent(t *testing.T) {
	ta := newTestAPI(t)
	seq := deadMailboxMail(t, ta)

	anonymous := ta.do("GET", "/readyz", "", nil)
	require.Equal(t, http.StatusServiceUnavailable, anonymous.Status)
	assert.Equal(t, false, anonymous.JSON(t)["ready"])
	assert.NotContains(t, anonymous.JSON(t), "mail")
	admin := ta.do("GET", "/readyz", adminSecret, nil)
	require.Equal(t, http.StatusServiceUnavailable, admin.Status)
	assert.Contains(t, admin.JSON(t)["problem"], "privacymailbox")

	adviser := ta.token("adviser", "", "adviseur")
	path := "/api/v1/mail/dead/" + itoa(seq) + "/resend"
	assert.Equal(t, http.StatusForbidden, ta.do("POST", path, adviser, nil).Status, "an operator's task")
	assert.Equal(t, http.StatusNotFound, ta.do("POST", "/api/v1/mail/dead/999/resend", adminSecret, nil).Status)
	res := ta.do("POST", path, adminSecret, nil)
	require.Equal(t, http.StatusOK, res.Status, "%s", res.Body)
	assert.Equal(t, map[string]any{"requeued": float64(1)}, res.JSON(t))
	assert.Equal(t, http.StatusNotFound, ta.do("POST", path, adminSecret, nil).Status, "not dead any more")

	due, err := ta.DB.DueMail(context.Background(), ta.Now, 10)
	require.NoError(t, err)
	require.NotEmpty(t, due)
	assert.Equal(t, seq, due[0].Seq, "back in the queue, under its own number")
	assert.Equal(t, http.StatusOK, ta.do("GET", "/readyz", "", nil).Status)

	// All dead mail at once, or only what was set aside since an instant.
	deadMailboxMail(t, ta)
	ta.Now = ta.Now.Add(time.Minute)
	deadMailboxMail(t, ta)
	res = ta.do("POST", "/api/v1/mail/dead/resend", adminSecret, map[string]any{"since": ta.Now.Add(time.Second)})
	require.Equal(t, http.StatusOK, res.Status, "%s", res.Body)
	assert.Equal(t, map[string]any{"requeued": float64(0)}, res.JSON(t))
	assert.Equal(t, http.StatusBadRequest, ta.do("POST", "/api/v1/mail/dead/resend", adminSecret, map[string]any{"seq": 1}).Status)
	res = ta.do("POST", "/api/v1/mail/dead/resend", adminSecret, nil)
	require.Equal(t, http.StatusOK, res.Status, "%s", res.Body)
	assert.Equal(t, map[string]any{"requeued": float64(2)}, res.JSON(t))
	assert.Equal(t, http.StatusOK, ta.do("GET", "/readyz", "", nil).Status)
}

func itoa(n uint64) string {
	b := []byte{}
	for {
		b = append([]byte{byte('0' + n%10)}, b...)
		if n /= 10; n == 0 {
			return string(b)
		}
	}
}
