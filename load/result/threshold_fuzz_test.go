package result

import (
	"errors"
	"reflect"
	"testing"
)

// FuzzParseThresholds: any text either parses into thresholds whose
// canonical form parses back to the same thresholds, or fails with a
// *ThresholdError whose column lies within the text (or just past it).
func FuzzParseThresholds(f *testing.F) {
	for _, s := range []string{"p99<200ms", "success>=99.9%", "e2e.p99<1s", "lost==0", "rate>=100/s",
		"p99<1s,,x", "p99 = 1", "success>=0.999", "lost<0.1%", "p99<-1s", "max<=1h"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		ts, err := ParseThresholds(text)
		if err != nil {
			var te *ThresholdError
			if !errors.As(err, &te) {
				t.Fatalf("%q: error %v is not a *ThresholdError", text, err)
			}
			if te.Column < 1 || te.Column > len(text)+1 {
				t.Fatalf("%q: column %d outside the text", text, te.Column)
			}
			return
		}
		for _, th := range ts {
			again, err := ParseThresholds(th.String())
			if err != nil || len(again) != 1 || !reflect.DeepEqual(again[0], th) {
				t.Fatalf("%q: %+v prints as %q, which parses to %+v, %v", text, th, th.String(), again, err)
			}
		}
	})
}
