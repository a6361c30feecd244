package stripemock

import (
	"os/exec"
	"syscall"
)

// setParentDeathSignal kills the mock when the test binary dies without its cleanup
// (a panic, a timeout), so no stripe-mock outlives its test run.
func setParentDeathSignal(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}
