package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"datalek/breach"
	"datalek/store"
)

// inviteOperator serves "datalekd invite-operator [flags] EMAIL NAME
// FUNCTION": it creates the first operator account in the store of the
// configured data directory and prints its invitation link, which the
// person opens to set a password and a second factor. The service must not
// be running (the store is locked while it runs); no mail is sent.
func inviteOperator(args []string, getenv func(string) string, out io.Writer) error {
	if len(args) < 3 {
		return fmt.Errorf("usage: datalekd invite-operator [flags] EMAIL NAME FUNCTION")
	}
	person := args[len(args)-3:]
	cfg, err := ParseConfig(args[:len(args)-3], getenv, out)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(cfg.DataDir, 0o700); err != nil {
		return fmt.Errorf("data directory: %w", err)
	}
	if err := checkDataDir(cfg.DataDir); err != nil {
		return err
	}
	db, err := store.Open(filepath.Join(cfg.DataDir, DatabaseFile))
	if err != nil {
		return err
	}
	defer db.Close()
	if err := markDataDir(cfg.DataDir); err != nil {
		return err
	}
	svc := breach.NewService(db)
	svc.InvitationValid = cfg.InvitationValid
	acc, link, err := svc.InviteFirstOperator(context.Background(),
		breach.AccountRequest{Email: person[0], Name: person[1], Function: person[2]})
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(out, "Operator account %s created for %s.\nOpen this link within %s to set a password and a second factor:\n%s%s\n",
		acc.ID, acc.Email, cfg.InvitationValid, strings.TrimSuffix(cfg.BaseURL, "/"), link)
	return err
}
