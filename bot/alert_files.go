package bot

import "encoding/json"

// sharedField is the alert field that carries the files a consumer agreed
// to share with the shop, as JSON; it is not a slot of the merchant
// chat, whose texts name the files by slot alert_files, in the chat's
// language.
const sharedField = "shared"

// sharedFile is one file shared with the shop: its proof kind and where
// its bytes are.
type sharedFile struct {
	Kind string `json:"kind"`
	Attachment
}

// MsgAlertSharedFile is the caption of a file a consumer shared with the
// shop: {{.No}}, {{.Kind}}.
const MsgAlertSharedFile = "sys.alert.shared_file"

// sayAlertFiles sends the shop the files shared on alert a, each as a
// reply with the file and a caption, before the alert itself, and sets
// slot alert_files to their kinds in words.
func (t *Turn) sayAlertFiles(a Alert) {
	raw := a.Fields[sharedField]
	if raw == "" {
		return
	}
	var files []sharedFile
	if err := json.Unmarshal([]byte(raw), &files); err != nil {
		t.e.cfg.Logger.Warn("undecodable shared files on an alert", "case", a.Case, "err", err)
		return
	}
	kinds := make([]string, len(files))
	for i, f := range files {
		kinds[i] = f.Kind
		t.Say(MsgAlertSharedFile, map[string]any{"No": a.Case, "Kind": t.kindList([]string{f.Kind})})
		att := f.Attachment
		t.replies[len(t.replies)-1].File = &att
	}
	t.setSlot("alert_files", t.kindList(kinds))
}
