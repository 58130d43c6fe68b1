package store

import (
	"crypto/sha256"
	"encoding/hex"
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestDictionaryNeverChanges pins the dictionary records are compressed
// against: a frame stored with it can be read only with these very bytes.
// A better dictionary is a new file under a new ID, never an edit of this.
func TestDictionaryNeverChanges(t *testing.T) {
	sum := sha256.Sum256(dictionary1)
	assert.Equal(t, "7e6d0d0b843cb6573b05853f3a501a1d178baae264020c518cea7da669d57125", hex.EncodeToString(sum[:]))
}

// TestPackedRecordsAreSmallerAndReadBack compresses a record of each stored
// kind and reads it back; plain JSON (layouts before 6) reads as it is.
func TestPackedRecordsAreSmallerAndReadBack(t *testing.T) {
	record := []byte(`{"id":"06h0fi1fanp178ig186h2h91os","reference":"DL-2026-FX66Q","organisation":"Drukkerij De Vries","stage":"complete","status":"new","received_at":"2026-11-23T09:41:29.557385093Z","title":"USB-stick met cliëntdossiers verloren in de trein","detected_at":"2026-11-23T08:41:29Z","cause":"Medewerker verloor een onversleutelde USB-stick","personal_data":["naam","bsn","gezondheidsgegevens"],"reporter":{"name":"P. de Vries","email":"p.devries@drukkerij.example"},"updates":[],"version":1}`)
	packed := pack(record)
	assert.True(t, compressed(packed))
	assert.Less(t, len(packed), len(record)*2/3, "the dictionary's member names are not stored again")
	got, err := unpack(packed)
	assert.NoError(t, err)
	assert.Equal(t, string(record), string(got))
	got, err = unpack(record)
	assert.NoError(t, err)
	assert.Equal(t, string(record), string(got), "plain JSON is read as it is")
}
