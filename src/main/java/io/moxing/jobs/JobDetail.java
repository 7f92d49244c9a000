package io.moxing.jobs;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import java.util.List;

/** A job with the tail of its log, as {@code moxing jobs show} and {@code GET /admin/jobs/{id}} give it. */
public record JobDetail(@JsonUnwrapped Job job, List<JobLogLine> log) {}
