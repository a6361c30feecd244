//go:build !linux

package stripemock

import "os/exec"

func setParentDeathSignal(*exec.Cmd) {}
