//go:build linux || darwin || freebsd

package main

import "syscall"

// diskFree returns a function that reports the bytes free to the service on
// the disk holding dir, for readiness: bbolt cannot grow its file on a full
// disk, and a filing that cannot be written is refused.
func diskFree(dir string) func() (uint64, error) {
	return func() (uint64, error) {
		var st syscall.Statfs_t
		if err := syscall.Statfs(dir, &st); err != nil {
			return 0, err
		}
		return uint64(st.Bavail) * uint64(st.Bsize), nil
	}
}
