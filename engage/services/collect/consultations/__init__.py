"""The consultation hub: staff manage consultations (`manage`), background documents are checked
(`documents`), the public reads them (`public`), and residents subscribe (`subscriptions`)."""
