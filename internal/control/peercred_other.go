//go:build !linux && !darwin && !freebsd

package control

import (
	"fmt"
	"net"
	"runtime"
)

// Without a way to learn who connected, the server does not start: file
// permissions alone would be its only guard.
const peerCredSupported = false

func peerUID(*net.UnixConn) (int, error) {
	return 0, fmt.Errorf("control: peer credentials are not supported on %s", runtime.GOOS)
}
