package sim

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/autoscale-sim/autoscale-sim/hpa"
)

// AnnotationChange is `kubectl annotate` on the ScaledObject at an instant:
// Set adds or overwrites annotations, Remove deletes them (KEY-).
type AnnotationChange struct {
	At     time.Duration
	Set    map[string]string
	Remove []string
}

func (c AnnotationChange) validate(tick, duration time.Duration) error {
	if len(c.Set) == 0 && len(c.Remove) == 0 {
		return errors.New("set or remove must name at least one annotation")
	}
	return instant("at", c.At, tick, duration)
}

// kubectl renders the change as the command that makes it.
func (c AnnotationChange) kubectl(name string) string {
	args := []string{"kubectl annotate scaledobject", name}
	for _, k := range slices.Sorted(maps.Keys(c.Set)) {
		args = append(args, k+"="+c.Set[k])
	}
	for _, k := range c.Remove {
		args = append(args, k+"-")
	}
	return strings.Join(args, " ")
}

// annotate applies the annotation changes due at now. KEDA's reconciler
// runs at once on an annotation change (controllers/keda/
// scaledobject_controller.go, reconcileScaledObject):
//   - paused or paused-replicas: the scale loop stops and the HPA is
//     deleted, so the HPA controller forgets its recommendations and
//     scale events (horizontal.go, reconcileKey on a missing HPA);
//   - removing that pause: a new HPA is created, which the HPA controller
//     first syncs one resync period later (enqueueHPA adds it rate
//     limited), and a new scale loop starts, which polls at once and then
//     every pollingInterval (pkg/scaling/scale_handler.go, startScaleLoop);
//   - paused-scale-in/-out only rewrite the HPA's behavior: the HPA and its
//     memory stay, and so does the poll's phase.
func (s *Simulator) annotate(now time.Duration) error {
	// The changes are in time order (Spec.Validate): a cursor visits each
	// once, whatever their number.
	for ; s.annotateNext < len(s.spec.Annotate) && s.spec.Annotate[s.annotateNext].At <= now; s.annotateNext++ {
		c := s.spec.Annotate[s.annotateNext]
		wasPaused := s.loop.Paused()
		a := s.loop.Annotations()
		if a == nil {
			a = map[string]string{}
		}
		maps.Copy(a, c.Set)
		for _, k := range c.Remove {
			delete(a, k)
		}
		s.loop.SetAnnotations(a)
		paused := s.loop.Paused()
		def := s.loop.HPA()
		var what string
		switch {
		case paused && !wasPaused:
			s.paused = true
			s.decided = false
			what = fmt.Sprintf("KEDA stops the scale loop and deletes HPA %s", def.Name)
		case !paused && wasPaused:
			ctrl, err := hpa.NewAutoscaler(def, s.spec.Controller)
			if err != nil {
				return fmt.Errorf("HPA %s generated for ScaledObject %s: %w", def.Name, s.loop.Name(), err)
			}
			ctrl.RecycleDecisions()
			s.ctrl, s.hpaDef, s.paused = ctrl, def, false
			s.hpaScalingActive, s.decided = false, false
			s.pollFrom = now
			s.syncFrom = now + s.spec.Controller.SyncPeriod
			what = fmt.Sprintf("KEDA creates HPA %s again (its first sync %s later) and starts a new scale loop", def.Name, s.spec.Controller.SyncPeriod)
		case !paused:
			if err := s.ctrl.Update(def); err != nil {
				return fmt.Errorf("HPA %s generated for ScaledObject %s: %w", def.Name, s.loop.Name(), err)
			}
			s.hpaDef = def
			what = fmt.Sprintf("KEDA updates HPA %s", def.Name)
		default:
			what = "the ScaledObject stays paused"
		}
		s.event(now, "kubectl", "Normal", "Annotated", s.desired, s.desired, c.kubectl(s.loop.Name())+": "+what)
		s.recordConditions(now, s.loop.Conditions())
	}
	return nil
}

// dueFrom reports whether a period that started at from is due at now.
func dueFrom(now, from, every time.Duration) bool {
	return every > 0 && now >= from && (now-from)%every == 0
}
