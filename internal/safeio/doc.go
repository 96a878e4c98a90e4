// Package safeio reads the files a user names (scenarios, manifests,
// recordings) without trusting them: only regular files, never more than
// a size limit, so that /dev/zero, a FIFO or a huge file gives an error at
// once instead of a hang or an exhausted memory.
package safeio
