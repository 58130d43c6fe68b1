package api

import (
	"crypto/subtle"
	"encoding/base32"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"
)

// TOTP implements breach.OneTimeCodes with pquerna/otp: six digits every
// 30 seconds (RFC 6238), as every authenticator app makes them.
type TOTP struct{}

const totpPeriod = 30

// NewCodeSecret implements breach.OneTimeCodes.
func (t TOTP) NewCodeSecret() (string, error) {
	key, err := t.key(nil, "-")
	if err != nil {
		return "", err
	}
	return key.Secret(), nil
}

// CodeURI implements breach.OneTimeCodes.
func (t TOTP) CodeURI(secret, account string) (string, error) {
	raw, err := base32.StdEncoding.WithPadding(base32.NoPadding).DecodeString(secret)
	if err != nil {
		return "", err
	}
	key, err := t.key(raw, account)
	if err != nil {
		return "", err
	}
	return key.URL(), nil
}

// key is the TOTP key of a secret (a new one for nil) for an account.
func (TOTP) key(secret []byte, account string) (*otp.Key, error) {
	return totp.Generate(totp.GenerateOpts{Issuer: "Datalekdienst", AccountName: account, Period: totpPeriod,
		Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1, Secret: secret})
}

// CodeStep implements breach.OneTimeCodes: the step of now, the one before
// and the one after are tried, so that a phone's clock may be half a
// minute off.
func (TOTP) CodeStep(secret, code string, now time.Time) (int64, bool) {
	if secret == "" || len(code) != 6 {
		return 0, false
	}
	step := now.Unix() / totpPeriod
	for _, s := range []int64{step - 1, step, step + 1} {
		want, err := totp.GenerateCodeCustom(secret, time.Unix(s*totpPeriod, 0), totp.ValidateOpts{Period: totpPeriod,
			Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1})
		if err == nil && subtle.ConstantTimeCompare([]byte(want), []byte(code)) == 1 {
			return s, true
		}
	}
	return 0, false
}
