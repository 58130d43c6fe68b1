package breach

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"
)

// Other controllers hit by the same incident (Bijlage 3 §5).

// ActionOtherControllers is the trail entry of a change of the other
// controllers hit by the same incident.
const ActionOtherControllers Action = "breach.other_controllers"

// OtherController is another controller hit by the same incident
// (Bijlage 3 §5).
type OtherController struct {
	Name    string `json:"name"`
	Contact string `json:"contact,omitempty"`
}

// OtherControllersRequest replaces the list of other controllers.
type OtherControllersRequest struct {
	Controllers []OtherController `json:"controllers"`
}

// SetOtherControllers records the other controllers hit by the same
// incident. Errors: EFORBIDDEN, ENOTFOUND, ECONFLICT, EINVALID.
func (s *Service) SetOtherControllers(ctx context.Context, a Actor, id string, req OtherControllersRequest) (*Breach, error) {
	return s.triage(ctx, a, id, actControlers, func(b *Breach, now time.Time) error {
		var p Problems
		if len(req.Controllers) > maxListItems {
			p.Add("controllers", "bevat meer dan %d verwerkingsverantwoordelijken", maxListItems)
		}
		list := make([]OtherController, len(req.Controllers))
		for i, c := range req.Controllers {
			list[i] = OtherController{Name: strings.TrimSpace(c.Name), Contact: strings.TrimSpace(c.Contact)}
			line(&p, fmt.Sprintf("controllers[%d].name", i), list[i].Name, maxShort, true)
			line(&p, fmt.Sprintf("controllers[%d].contact", i), list[i].Contact, maxShort, false)
		}
		if err := p.Err("De lijst is niet geldig."); err != nil {
			return err
		}
		old, _ := json.Marshal(b.OtherControllers)
		next, _ := json.Marshal(list)
		if string(old) == string(next) {
			return nil
		}
		b.OtherControllers = list
		b.record(now, a, ActionOtherControllers, "", []Change{{Field: "other_controllers", Old: old, New: next}})
		return nil
	})
}
