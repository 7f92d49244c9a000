package io.moxing.jobs;

import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import java.time.Instant;

/** One line a job logged, numbered in order across its attempts. */
public record JobLogLine(long seq, @JsonSerialize(using = ToStringSerializer.class) Instant at, String line) {}
