package breach

import (
	"context"
	"time"
)

// Telling the privacy mailbox of access to breach content. The operator
// manages who may do what but sees no breach content; an operator who gives
// someone (itself, say) a staff token or a staff account could read every
// breach, so such a grant never goes unseen.

// NoticeStaffAccess tells the privacy mailbox that an operator gave access
// to breach content.
const NoticeStaffAccess NoticeKind = "staff_access"

// StaffAccessNotice says who got access to breach content, how and as what.
type StaffAccessNotice struct {
	Holder string `json:"holder"` // the token's name, or the person's name and function
	Means  string `json:"means"`  // AccessToken or AccessAccount
	Role   Role   `json:"role"`
}

// The means of access a StaffAccessNotice names.
const (
	AccessToken   = "token"
	AccessAccount = "account"
)

// staffAccessNotice is the mail that tells the privacy mailbox of a grant
// of a staff role, or nil for any other role; id names the grant.
func (s *Service) staffAccessNotice(a Actor, holder, means string, role Role, id string, now time.Time) *Notice {
	if !role.Staff() {
		return nil
	}
	return &Notice{ID: "staff-access." + id, Kind: NoticeStaffAccess, Audience: AudienceMailbox, To: s.MailTo, At: now, Actor: &a,
		StaffAccess: &StaffAccessNotice{Holder: holder, Means: means, Role: role}}
}

// tellStaffAccess queues that mail on its own, for a grant whose store
// takes no mail with it (a token): before the grant is stored, so that a
// crash between the two tells of a grant that did not happen, and never
// hides one that did.
func (s *Service) tellStaffAccess(ctx context.Context, n *Notice) error {
	if n == nil {
		return nil
	}
	queued, err := s.Outbox.EnqueueNotice(ctx, *n, n.ID)
	if queued {
		s.mailQueued()
	}
	return err
}
