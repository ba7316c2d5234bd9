package com.mlplatform.logexport.local.seed;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Writes the demo scenario ({@code src/main/resources/local-stack/demo-seed.json}). The committed JSON is the demo
 * data and may be edited by hand; this generator only exists so its thousands of training-log lines can be
 * re-made consistently. Deterministic (fixed random seed). Run from the repository root after a test compile:
 * {@code java -cp local-stack/target/test-classes:local-stack/target/classes:$(cat local-stack/target/runtime-classpath.txt)
 * com.mlplatform.logexport.local.seed.DemoSeedGenerator local-stack/src/main/resources/local-stack/demo-seed.json}
 */
public final class DemoSeedGenerator {

    private final Random random = new Random(20240611L);

    public static void main(String[] args) throws Exception {
        Path out = Path.of(args.length > 0 ? args[0] : "local-stack/src/main/resources/local-stack/demo-seed.json");
        String json = new DemoSeedGenerator().seed().toJson() + "\n";
        Files.writeString(out, json, StandardCharsets.UTF_8);
        System.out.println("wrote " + out + " (" + json.length() + " characters)");
    }

    SeedFile seed() {
        var users = List.of(
                new SeedFile.User("alice", "Alice Chen (fraud-detection)"),
                new SeedFile.User("bob", "Bob Okafor (both use cases)"),
                new SeedFile.User("carol", "Carol Díaz (churn-prediction)"),
                new SeedFile.User("dan", "Dan Park (no use case: sees 403)"));
        var fraud = new SeedFile.UseCaseSeed("fraud-detection",
                "Card-fraud models; SageMaker in its own account", "111111111111", null, "ext-fraud-7f3a", null,
                List.of("alice", "bob"),
                List.of(distributedJob(), restartedJob(),
                        new SeedFile.TrainingJob("fraud-gnn-pending",
                                "Just submitted: SageMaker has not created a log stream yet (export says no logs)",
                                List.of())));
        var churn = new SeedFile.UseCaseSeed("churn-prediction",
                "Customer churn; multilingual support tickets", "222222222222", null, "ext-churn-19c2", null,
                List.of("bob", "carol"),
                List.of(multilingualJob(), baselineJob()));
        return new SeedFile(SeedFile.CURRENT_VERSION,
                "Demo scenario for ./dev up: two use cases in two accounts, a 3-host distributed job with thousands"
                        + " of lines, a host that restarted, a job without logs, and multilingual log text.",
                users, List.of(fraud, churn));
    }

    /** Three hosts, about 1,300 lines each: epochs, loss values, a warning, a stack trace. */
    private SeedFile.TrainingJob distributedJob() {
        String job = "fraud-transformer-dist-v3";
        List<SeedFile.Stream> streams = new ArrayList<>();
        for (int host = 1; host <= 3; host++) {
            Clock c = new Clock();
            List<SeedFile.Event> ev = new ArrayList<>();
            preamble(ev, c, host, 3, "train_fraud.py");
            int epochs = 10;
            int steps = 120;
            double loss = 0.69 + random.nextDouble() * 0.02;
            for (int epoch = 1; epoch <= epochs; epoch++) {
                for (int step = 10; step <= steps * 10; step += 10) {
                    loss = Math.max(0.08, loss * (0.9985 - random.nextDouble() * 0.002) + gauss(0.002));
                    ev.add(c.after(3_700 + random.nextInt(600), rank(host) + String.format(Locale.ROOT,
                            "Epoch %d/%d step %d/%d loss=%.4f lr=%.2e throughput=%.1f samples/s", epoch, epochs,
                            step, steps * 10, loss, 3e-4 * Math.pow(0.9, epoch - 1), 780 + random.nextDouble() * 90)));
                    if (host == 2 && epoch == 3 && step == 400) {
                        ev.add(c.after(40, rank(host) + "/opt/conda/lib/python3.10/site-packages/torch/utils/data/"
                                + "dataloader.py:558: UserWarning: This DataLoader will create 8 worker processes in"
                                + " total. Our suggested max number of worker in current system is 4, which is smaller"
                                + " than what this DataLoader is going to create."));
                        ev.add(c.after(5, rank(host) + "  warnings.warn(_create_warning_msg("));
                    }
                    if (host == 3 && epoch == 6 && step == 770) {
                        ev.add(c.after(120, stackTrace(host)));
                        ev.add(c.after(300, rank(host) + "WARNING Recovered from CUDA OOM: retrying step 770 with"
                                + " micro-batch 32 → 16"));
                    }
                }
                double val = loss + 0.015 + random.nextDouble() * 0.01;
                ev.add(c.after(9_000, rank(host) + String.format(Locale.ROOT,
                        "Epoch %d finished: train_loss=%.4f val_loss=%.4f val_auc=%.4f μ(grad)=%.2e σ(grad)=%.2e",
                        epoch, loss, val, 0.86 + epoch * 0.009 + random.nextDouble() * 0.004,
                        1e-4 * random.nextDouble(), 2e-3 * random.nextDouble())));
                if (host == 1) {
                    ev.add(c.after(2_000, rank(host) + "✓ checkpoint saved to /opt/ml/checkpoints/epoch-" + epoch
                            + ".pt (412.7 MB)"));
                }
            }
            epilogue(ev, c, host);
            streams.add(new SeedFile.Stream(null, "algo-" + host, "-3h", ev));
        }
        return new SeedFile.TrainingJob(job, "3 x ml.g5.12xlarge, 10 epochs, data parallel (thousands of lines)",
                streams);
    }

    /** One host, interrupted by a spot reclaim and restarted: SageMaker writes a second stream for it. */
    private SeedFile.TrainingJob restartedJob() {
        String job = "fraud-lgbm-spot-restart";
        List<SeedFile.Stream> streams = new ArrayList<>();
        Clock c1 = new Clock();
        List<SeedFile.Event> first = new ArrayList<>();
        preamble(first, c1, 1, 1, "train_lgbm.py");
        double auc = 0.80;
        for (int round = 1; round <= 120; round++) {
            auc += (0.95 - auc) * 0.02 + gauss(0.0005);
            first.add(c1.after(9_000 + random.nextInt(2_000), String.format(Locale.ROOT,
                    "[%d]\ttrain's binary_logloss: %.5f\tvalid's auc: %.5f", round, 0.6 - round * 0.003, auc)));
        }
        first.add(c1.after(1_500, "Spot interruption notice received: instance will be reclaimed in 2 minutes"));
        first.add(c1.after(800, "Saving checkpoint lgbm-round-120.txt to /opt/ml/checkpoints"));
        first.add(c1.after(900, "Received SIGTERM, exiting"));
        streams.add(new SeedFile.Stream(null, "algo-1", "-5h", first));

        Clock c2 = new Clock();
        List<SeedFile.Event> second = new ArrayList<>();
        preamble(second, c2, 1, 1, "train_lgbm.py");
        second.add(c2.after(2_000, "Found checkpoint /opt/ml/checkpoints/lgbm-round-120.txt: resuming from round 121"));
        for (int round = 121; round <= 200; round++) {
            auc += (0.95 - auc) * 0.02 + gauss(0.0005);
            second.add(c2.after(9_000 + random.nextInt(2_000), String.format(Locale.ROOT,
                    "[%d]\ttrain's binary_logloss: %.5f\tvalid's auc: %.5f", round, 0.6 - round * 0.0025, auc)));
        }
        second.add(c2.after(1_000, "Early stopping, best iteration is: [187]"));
        epilogue(second, c2, 1);
        streams.add(new SeedFile.Stream(null, "algo-1", "-4h10m", second));
        return new SeedFile.TrainingJob(job, "Managed spot training; algo-1 was reclaimed and restarted (2 streams)",
                streams);
    }

    private SeedFile.TrainingJob multilingualJob() {
        Clock c = new Clock();
        List<SeedFile.Event> ev = new ArrayList<>();
        preamble(ev, c, 1, 1, "finetune_bert.py");
        String[] samples = {
            "Je voudrais résilier mon abonnement, le service est trop cher.",
            "解約したいです。最近つながりにくいので。",
            "Ich möchte kündigen – die Rechnung ist schon wieder falsch.",
            "Quiero cancelar mi plan 😞 pero me gusta la app",
            "Хочу отключить услугу, слишком дорого.",
            "أريد إلغاء الاشتراك",
            "I'd like to upgrade, the new plan looks great 🙂",
        };
        ev.add(c.after(1_000, "Tokenizer: bert-base-multilingual-cased, vocab 119547"));
        for (int i = 0; i < samples.length; i++) {
            ev.add(c.after(200, "sample[" + i + "] text=\"" + samples[i] + "\" label=" + (i == 6 ? "stay" : "churn")));
        }
        double loss = 0.71;
        for (int epoch = 1; epoch <= 4; epoch++) {
            for (int step = 25; step <= 2_000; step += 25) {
                loss = Math.max(0.1, loss * 0.997 + gauss(0.003));
                ev.add(c.after(2_500 + random.nextInt(500), String.format(Locale.ROOT,
                        "{'loss': %.4f, 'learning_rate': %.3e, 'epoch': %.2f}", loss,
                        2e-5 * (1 - (epoch - 1 + step / 2000.0) / 4), epoch - 1 + step / 2000.0)));
            }
            ev.add(c.after(20_000, String.format(Locale.ROOT, "{'eval_loss': %.4f, 'eval_f1': %.4f, 'epoch': %d.0}",
                    loss + 0.03, 0.78 + epoch * 0.02, epoch)));
        }
        epilogue(ev, c, 1);
        return new SeedFile.TrainingJob("churn-bert-multilingual",
                "1 x ml.g5.2xlarge, Hugging Face fine-tuning; log text in seven languages",
                List.of(new SeedFile.Stream(null, "algo-1", "-6h", ev)));
    }

    private SeedFile.TrainingJob baselineJob() {
        Clock c = new Clock();
        List<SeedFile.Event> ev = new ArrayList<>();
        preamble(ev, c, 1, 1, "xgboost");
        double err = 0.31;
        for (int round = 0; round < 50; round++) {
            err = err * 0.985 + gauss(0.001);
            ev.add(c.after(700 + random.nextInt(300), String.format(Locale.ROOT,
                    "[%d]#011train-error:%.5f#011validation-error:%.5f", round, err, err + 0.012)));
        }
        epilogue(ev, c, 1);
        return new SeedFile.TrainingJob("churn-xgb-baseline", "Built-in XGBoost algorithm, 50 rounds",
                List.of(new SeedFile.Stream(null, "algo-1", "-26h", ev)));
    }

    private void preamble(List<SeedFile.Event> ev, Clock c, int host, int hosts, String entryPoint) {
        ev.add(c.after(0, "bash: cannot set terminal process group (-1): Inappropriate ioctl for device"));
        ev.add(c.after(2, "bash: no job control in this shell"));
        ev.add(c.after(1_800, "sagemaker-training-toolkit INFO     Imported framework sagemaker_pytorch_container.training"));
        ev.add(c.after(40, "sagemaker-training-toolkit INFO     No Neurons detected (normal if no neurons installed)"));
        ev.add(c.after(300, "sagemaker-training-toolkit INFO     Invoking user script"));
        StringBuilder hostList = new StringBuilder();
        for (int h = 1; h <= hosts; h++) {
            hostList.append(h > 1 ? ", " : "").append("\"algo-").append(h).append('"');
        }
        ev.add(c.after(5, "Training Env:\n{\n    \"current_host\": \"algo-" + host + "\",\n    \"hosts\": [" + hostList
                + "],\n    \"user_entry_point\": \"" + entryPoint + "\",\n    \"num_gpus\": 4\n}"));
        ev.add(c.after(20, "Invoking script with the following command:\n/opt/conda/bin/python3.10 " + entryPoint
                + " --epochs 10 --batch-size 64"));
    }

    private void epilogue(List<SeedFile.Event> ev, Clock c, int host) {
        ev.add(c.after(3_000, rank(host) + "Training complete. Uploading model artifacts to /opt/ml/model"));
        ev.add(c.after(12_000, "sagemaker-training-toolkit INFO     Waiting for the process to finish and give a"
                + " return code."));
        ev.add(c.after(10, "sagemaker-training-toolkit INFO     Done waiting for a return code. Received 0 from"
                + " exiting process."));
        ev.add(c.after(20, "sagemaker-training-toolkit INFO     Reporting training SUCCESS"));
    }

    private static String stackTrace(int host) {
        return rank(host) + "Traceback (most recent call last):\n"
                + "  File \"/opt/ml/code/train_fraud.py\", line 214, in train_step\n"
                + "    outputs = model(**batch)\n"
                + "  File \"/opt/conda/lib/python3.10/site-packages/torch/nn/modules/module.py\", line 1518, in _wrapped_call_impl\n"
                + "    return self._call_impl(*args, **kwargs)\n"
                + "  File \"/opt/ml/code/model.py\", line 88, in forward\n"
                + "    attn = torch.softmax(scores, dim=-1)\n"
                + "torch.cuda.OutOfMemoryError: CUDA out of memory. Tried to allocate 2.00 GiB (GPU 3; 22.20 GiB"
                + " total capacity; 19.85 GiB already allocated; 1.12 GiB free)";
    }

    private static String rank(int host) {
        return "[1,mpirank:" + (host - 1) + ",algo-" + host + "]<stdout>:";
    }

    private double gauss(double sd) {
        return random.nextGaussian() * sd;
    }

    /** Time since the stream started, in milliseconds, written as {@code +…} offsets. */
    private static final class Clock {
        private long millis;

        SeedFile.Event after(long deltaMillis, String message) {
            millis += deltaMillis;
            return new SeedFile.Event(SeedTime.after(Duration.ofMillis(millis)), message);
        }
    }
}
