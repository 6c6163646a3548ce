package suites

import (
	"github.com/callcheck/callcheck/fixtures"
)

// fillRequest returns the documented request of ex filled with v's values
// and the callback URL (fixtures.WithValues), then changed by the
// contract's readings. The fixture is never edited.
func fillRequest(ex fixtures.Example, v Values, callback string, readings []Reading) (any, error) {
	body, err := ex.FillRequest(fixtures.WithValues(v.run(callback)))
	if err != nil {
		return nil, err
	}
	for _, r := range readings {
		if r.apply != nil {
			r.apply(body)
		}
	}
	return body, nil
}

// run returns the values a request is filled with.
func (v Values) run(callback string) fixtures.RunValues {
	return fixtures.RunValues{
		CallbackURI: callback, TenantID: v.TenantID, Application: v.Application, Users: v.Users,
		Meeting: v.Meeting, ChannelMeeting: v.ChannelMeeting, ApplicationInstance: v.ApplicationInstance,
		Phone: v.Phone, Guest: v.Guest, MediaSessionBlob: v.MediaSessionBlob,
	}
}
