package graph

import (
	"encoding/json"
	"testing"

	"github.com/callcheck/callcheck/internal/race"
)

// slowEnum is unmarshalEnum without its in-place lookup.
func slowEnum(data []byte) (string, error) {
	var s string
	if err := json.Unmarshal(data, &s); err != nil {
		return "", err
	}
	return canonicalMember(s), nil
}

var enumSeeds = []string{`"established"`, `"ESTABLISHED"`, `"Updated"`, `"videoBasedScreenSharing"`, `"unknownFutureValue"`,
	`"notAMember"`, `"estab\u006cished"`, `"caf` + "\u00e9" + `"`, `""`, `"`, `5`, `null`, `"a"b"`, "\"\x01\"",
	`"skypeForBusinessVoipPhoneAndMoreThanFortyBytes"`}

func checkEnum(t *testing.T, data []byte) {
	got, err := unmarshalEnum(data)
	want, wantErr := slowEnum(data)
	if got != want || (err == nil) != (wantErr == nil) {
		t.Errorf("%q: %q, %v; want %q, %v", data, got, err, want, wantErr)
	}
}

func TestEnumDecodeAgreesWithEncodingJSON(t *testing.T) {
	for _, s := range enumSeeds {
		checkEnum(t, []byte(s))
	}
	data := []byte(`"Established"`)
	if n := testing.AllocsPerRun(50, func() { _, _ = unmarshalEnum(data) }); n != 0 && !race.Enabled {
		t.Errorf("a plain member costs %.0f allocations, want none", n)
	}
}

func FuzzEnumDecodeAgreesWithEncodingJSON(f *testing.F) {
	for _, s := range enumSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) { checkEnum(t, data) })
}
