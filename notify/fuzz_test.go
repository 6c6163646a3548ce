package notify_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/mock"

	"github.com/callcheck/callcheck/notify"
	"github.com/callcheck/callcheck/notify/mocks"
)

// FuzzReceiverBody: whatever the body, the receiver answers 202 or 400 (or
// 413), never panics, and keeps every rejection.
func FuzzReceiverBody(f *testing.F) {
	for _, seed := range []string{documentedEstablishing, `{"value":[]}`, `{"value":[{}]}`, `[]`, `{"value":[{"resourceUrl":"/app/calls/x/"}]}`, "\x00", `{"value":null}`} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, body string) {
		v := mocks.NewTokenVerifier(t)
		v.EXPECT().Verify(mock.Anything, mock.Anything).Return(goodClaims, nil).Maybe()
		r, err := notify.NewReceiver(v, notify.WithMaxBodyBytes(1<<16))
		if err != nil {
			t.Fatal(err)
		}
		req := httptest.NewRequest(http.MethodPost, "/callback", strings.NewReader(body))
		w := httptest.NewRecorder()
		r.ServeHTTP(w, req)
		st := r.Stats()
		switch w.Code {
		case http.StatusAccepted:
			if st.Accepted != 1 {
				t.Errorf("202 but stats %+v", st)
			}
		case http.StatusBadRequest, http.StatusRequestEntityTooLarge:
			if st.Rejected != 1 || len(r.Rejections()) != 1 {
				t.Errorf("%d but stats %+v", w.Code, st)
			}
		default:
			t.Errorf("status %d for body %q", w.Code, body)
		}
	})
}
