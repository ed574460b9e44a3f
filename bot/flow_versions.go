package bot

// flowVersions keeps up to max older flow versions, dropping the one
// used least recently: after many reloads, only the versions that
// conversations still run stay in memory, and the archive has the rest.
type flowVersions struct {
	max   int
	clock uint64
	byVer map[string]*usedFlow
}

type usedFlow struct {
	f    *Flow
	used uint64
}

func (v *flowVersions) get(version string) *Flow {
	u := v.byVer[version]
	if u == nil {
		return nil
	}
	v.clock++
	u.used = v.clock
	return u.f
}

func (v *flowVersions) put(f *Flow) {
	if v.byVer == nil {
		v.byVer = map[string]*usedFlow{}
	}
	v.clock++
	v.byVer[f.Version] = &usedFlow{f: f, used: v.clock}
	for len(v.byVer) > max(v.max, 1) {
		oldest := ""
		for ver, u := range v.byVer {
			if oldest == "" || u.used < v.byVer[oldest].used {
				oldest = ver
			}
		}
		delete(v.byVer, oldest)
	}
}

// len is how many versions are kept.
func (v *flowVersions) len() int { return len(v.byVer) }
