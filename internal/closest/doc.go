// Package closest suggests the name a user probably meant, for "did you
// mean" hints in error messages.
package closest
