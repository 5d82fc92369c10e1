// A Go program whose runtime keeps making OS threads: a goroutine that locks itself to its OS thread and
// returns without unlocking takes that thread down with it (runtime.LockOSThread), so the scheduler must
// clone a new M for the next one.
package main

import (
	"os"
	"runtime"
	"strconv"
	"sync"
)

func main() {
	total := 500
	if len(os.Args) > 1 {
		total, _ = strconv.Atoi(os.Args[1])
	}
	for done := 0; done < total; done += 8 {
		var wg sync.WaitGroup
		for i := 0; i < 8; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				runtime.LockOSThread()
			}()
		}
		wg.Wait()
	}
}
