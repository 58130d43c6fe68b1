package main

import (
	"flag"
	"strings"
)

var flagHelp = flag.ErrHelp

// oneLine joins a multi-line error (several bad settings) into one line.
func oneLine(err error) string { return strings.ReplaceAll(err.Error(), "\n", "; ") }
