package textsafe_test

import (
	"fmt"

	"github.com/autoscale-sim/autoscale-sim/internal/textsafe"
)

// A name that would retitle the terminal and forge a line prints as
// visible escapes.
func ExampleLine() {
	fmt.Println(textsafe.Line("web\x1b]0;pwned\x07\nPASS"))
	// Output: web\x1b]0;pwned\x07\nPASS
}
